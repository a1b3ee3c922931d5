// Reading a service's Prometheus /metrics: event-loop delay during a run (prom-client
// resets its delay histogram on every scrape, so each scrape covers the last interval)
// and histogram-based summaries.

export type Samples = Map<string, number>;

export async function scrape(url: string): Promise<Samples> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const sp = line.lastIndexOf(' ');
    out.set(line.slice(0, sp), Number(line.slice(sp + 1)));
  }
  return out;
}

/** Scrapes every `everyMs` and keeps the per-interval event-loop delay p99 and max (ms). */
export class LoopDelayWatch {
  readonly p99: number[] = [];
  readonly max: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  available = true;

  constructor(private readonly url: string, private readonly prefix = 'nodejs_', private readonly everyMs = 1000) {}

  async begin(): Promise<void> {
    await this.read(false); // resets the histogram: the run starts clean
    this.timer = setInterval(() => void this.read(true), this.everyMs);
  }

  private async read(keep: boolean): Promise<void> {
    try {
      const s = await scrape(this.url);
      const p99 = s.get(`${this.prefix}eventloop_lag_p99_seconds`);
      const max = s.get(`${this.prefix}eventloop_lag_max_seconds`);
      if (p99 === undefined) this.available = false;
      if (keep && p99 !== undefined && max !== undefined) {
        this.p99.push(p99 * 1000);
        this.max.push(max * 1000);
      }
    } catch {
      /* a missed scrape is a missing interval, not a failure of the run */
    }
  }

  async end(): Promise<{ p99MaxMs: number; p99MedianMs: number; maxMs: number; intervals: number } | null> {
    clearInterval(this.timer);
    await this.read(true);
    if (!this.available || !this.p99.length) return null;
    const sorted = [...this.p99].sort((a, b) => a - b);
    return {
      p99MaxMs: sorted[sorted.length - 1]!,
      p99MedianMs: sorted[Math.floor(sorted.length / 2)]!,
      maxMs: Math.max(...this.max),
      intervals: this.p99.length,
    };
  }
}

/** Count, sum and bucket counts of one labelled histogram series. */
export function histogram(s: Samples, name: string, labels: string): { count: number; sum: number; buckets: [number, number][] } {
  const buckets: [number, number][] = [];
  for (const [k, v] of s) {
    if (!k.startsWith(`${name}_bucket{`) || !k.includes(labels)) continue;
    const le = /le="([^"]+)"/.exec(k)?.[1];
    if (le) buckets.push([le === '+Inf' ? Infinity : Number(le), v]);
  }
  buckets.sort((a, b) => a[0] - b[0]);
  const find = (suffix: string) => {
    for (const [k, v] of s) if (k.startsWith(`${name}_${suffix}{`) && k.includes(labels)) return v;
    return 0;
  };
  return { count: find('count'), sum: find('sum'), buckets };
}

/** The bucket bound under which q% of observations fall (an upper estimate). */
export function bucketQuantile(h: { count: number; buckets: [number, number][] }, q: number): number {
  const want = (q / 100) * h.count;
  for (const [le, n] of h.buckets) if (n >= want) return le;
  return Infinity;
}
