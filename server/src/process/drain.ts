// The drain phase of a planned stop (a deploy, a scale-in): between SIGTERM and closing,
// the process reports itself not ready (503 on /health/ready) while still accepting and
// answering, so a load balancer that has not yet noticed keeps getting answers instead of
// refused connections. Only then does the service stop accepting and close as before.
//
// How long: DRAIN_SECONDS. Production sets it in the task definitions, between the ALB's
// deregistration delay and ECS's stopTimeout (checked by e2e/stack/drain-numbers.test.ts,
// explained in docs/operations.md). The default is 0 (no drain): a developer's Ctrl-C,
// compose and the test harnesses stop at once, as they always have.
import { z } from 'zod';
import { ConfigError } from '../config/index.js';

/** Upper bound: Fargate's stopTimeout cannot exceed 120 s, so a longer drain is a mistake. */
export const MAX_DRAIN_SECONDS = 120;

const drainSeconds = z.coerce.number().min(0).max(MAX_DRAIN_SECONDS).default(0);

/** DRAIN_SECONDS in milliseconds; a bad value is a ConfigError (exit 78 via loadConfigOrExit). */
export function drainMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DRAIN_SECONDS === '' ? undefined : env.DRAIN_SECONDS;
  const parsed = drainSeconds.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n  DRAIN_SECONDS: expected a number of seconds from 0 to ${MAX_DRAIN_SECONDS}, got ${JSON.stringify(raw)}`);
  }
  return Math.round(parsed.data * 1000);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Close `open()` items spread evenly over `ms` rather than all at once (a deploy must not
 * be a reconnect storm). Every tick closes its share of what is still open given the
 * time left, so items that arrive during the window are closed before it ends too; the
 * last tick closes whatever remains. Resolves when the window is over.
 */
export function closeSpread<T>(opts: { ms: number; open: () => T[]; close: (item: T) => void; tickMs?: number }): Promise<void> {
  const tick = opts.tickMs ?? Math.min(250, Math.max(10, Math.floor(opts.ms / 100)));
  const end = Date.now() + opts.ms;
  let budget = 0; // fractional closes owed, carried between ticks
  return new Promise((resolve) => {
    const step = () => {
      const items = opts.open();
      const left = end - Date.now();
      if (left <= tick) {
        for (const item of items) opts.close(item);
        resolve();
        return;
      }
      budget += (items.length * tick) / left;
      const n = Math.min(items.length, Math.floor(budget));
      budget -= n;
      for (const item of items.slice(0, n)) opts.close(item);
      setTimeout(step, tick);
    };
    setTimeout(step, tick);
  });
}

/**
 * Stop accepting new connections, then give connections accepted a moment ago
 * `settleMs` to deliver their first request before the caller's close() ends idle ones.
 * Node's http.Server#close() also closes idle keep-alive connections at once, and a
 * connection accepted just before has no request parsed yet, so counts as idle: its
 * client saw a reset without an answer. net.Server#close() only stops listening.
 */
export async function stopListening(listening: { stop(): Promise<void> } | null, settleMs: number): Promise<void> {
  if (!listening) return;
  await listening.stop(); // every socket of the port (http/listen.ts); net.Server#close on each
  await sleep(settleMs);
}
