// What every entry point (game-server, event-stream, local) does around its service:
// refuse bad configuration with EX_CONFIG, and on SIGTERM/SIGINT close gracefully once,
// exiting non-zero when closing fails or outlasts its grace.
import { ConfigError } from '../config/index.js';
import { sleep } from './drain.js';

/** Load configuration; a ConfigError is printed and ends the process with 78 (EX_CONFIG). */
export function loadConfigOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
}

interface ShutdownLog {
  info(obj: object, msg: string): void;
  error(obj: object | string, msg?: string): void;
}

/** The drain phase (server/src/process/drain.ts): `begin` turns readiness 503 at once. */
export interface DrainPhase {
  ms: number;
  /** Called at the signal; the process keeps serving until `ms` has passed (and this settles). */
  begin: () => void | Promise<void>;
}

/**
 * On the first SIGTERM or SIGINT: when `drain` is given and longer than 0, begin it and
 * keep serving for its duration; then run `close` and exit 0. Exit 1 when closing rejects
 * or has not finished `forceAfterMs` after the drain (a stuck close must not keep a task
 * from stopping). Returns the same stop for other triggers (ecs-stop.ts: ECS decided to
 * stop the task before it sends the signal); whichever comes first wins, once.
 */
export function shutdownOnSignals(opts: { log: ShutdownLog; close: () => Promise<void>; forceAfterMs: number; drain?: DrainPhase }): (reason: string) => void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const drainMs = opts.drain?.ms ?? 0;
    opts.log.info({ signal, drainMs }, drainMs > 0 ? 'draining, then shutting down' : 'shutting down');
    setTimeout(() => {
      opts.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, drainMs + opts.forceAfterMs).unref();
    const drained =
      drainMs > 0 && opts.drain
        ? Promise.all([Promise.resolve().then(opts.drain.begin), sleep(drainMs)]).then(() => opts.log.info({ drainMs }, 'drain over; closing'))
        : Promise.resolve();
    drained.then(opts.close).then(
      () => process.exit(0),
      (err: unknown) => {
        opts.log.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return stop;
}
