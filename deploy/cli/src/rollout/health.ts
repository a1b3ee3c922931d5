import type { Clock } from './wait.js';

export type HealthResult = { ok: true; status: number } | { ok: false; reason: string };

/**
 * GETs the URL until it answers 2xx, at most `attempts` times. Through the ALB
 * a request can still land on a draining old task for a moment, so one failure
 * is not a verdict; `attempts` consecutive failures are.
 */
export async function checkHealth(
  deps: { fetch: typeof fetch; clock: Clock; log: (m: string) => void },
  url: string,
  opts: { attempts: number; intervalMs: number; timeoutMs: number },
): Promise<HealthResult> {
  let reason = 'not tried';
  for (let i = 1; i <= opts.attempts; i++) {
    try {
      const res = await deps.fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs), redirect: 'follow' });
      await res.body?.cancel();
      if (res.ok) return { ok: true, status: res.status };
      reason = `HTTP ${res.status}`;
    } catch (err) {
      reason = (err as Error).message;
    }
    deps.log(`  health ${url}: attempt ${i}/${opts.attempts} failed (${reason})`);
    if (i < opts.attempts) await deps.clock.sleep(opts.intervalMs);
  }
  return { ok: false, reason: `${url} did not answer 2xx after ${opts.attempts} attempts (last: ${reason})` };
}
