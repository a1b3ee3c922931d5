// What the fan-out benchmarks read of the event-stream process they start.
import { readFileSync } from 'node:fs';

/** utime + stime of a process so far, in seconds (/proc/<pid>/stat). */
export function cpuSec(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** Resolves once `url` answers 2xx; rejects after `ms`. */
export async function waitHttp(url: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
