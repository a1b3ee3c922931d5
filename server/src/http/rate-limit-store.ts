import type { Redis } from 'ioredis';
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';

type Callback = (err: Error | null, res: { current: number; ttl: number }) => void;

interface Counter {
  window: number;
  /** Requests of all replicas in this window, as of the last sync (ours included). */
  synced: number;
  /** Ours since the last sync. */
  local: number;
}

/**
 * A rate-limit store for @fastify/rate-limit that answers from memory and shares counts
 * through Redis every `syncMs` instead of one Redis round trip per request: fixed
 * windows aligned to the clock, one INCRBY per key and window per sync carrying this
 * replica's new requests, whose reply (every replica's total) becomes the base that
 * local requests are added to (keys without new requests are refreshed too). Replicas therefore see each other's traffic at most
 * `syncMs` late: a client spread over N replicas may overshoot a limit by what it sends
 * in that time. Redis down: counts stay local (limits pause rather than fail requests,
 * as with skipOnError).
 */
export function syncedStore(redis: Redis, prefix: string, syncMs = 500) {
  const stores = new Set<SyncedStore>();
  let timer: NodeJS.Timeout | null = null;
  const start = () => {
    if (timer) return;
    timer = setInterval(() => {
      for (const s of stores) void s.sync();
    }, syncMs);
    timer.unref();
  };

  class SyncedStore {
    private readonly counters = new Map<string, Counter>();
    private timeWindow = 60_000;
    private syncing = false;

    // @fastify/rate-limit constructs the root store with its global parameters (unused here).
    constructor(_params?: unknown, private readonly name = 'g') {
      stores.add(this);
      start();
    }

    incr(key: string, cb: Callback, timeWindow: number): void {
      this.timeWindow = timeWindow;
      const now = Date.now();
      const window = Math.floor(now / timeWindow);
      let c = this.counters.get(key);
      if (!c || c.window !== window) {
        c = { window, synced: 0, local: 0 };
        this.counters.set(key, c);
      }
      c.local += 1;
      cb(null, { current: c.synced + c.local, ttl: (window + 1) * timeWindow - now });
    }

    read(key: string, cb: Callback, timeWindow: number): void {
      const now = Date.now();
      const c = this.counters.get(key);
      if (!c || c.window !== Math.floor(now / timeWindow)) return cb(null, { current: 0, ttl: 0 });
      cb(null, { current: c.synced + c.local, ttl: (c.window + 1) * timeWindow - now });
    }

    /** A route with its own limit counts apart (keyed by method and URL, as the plugin's Redis store does). */
    child(routeOptions: object): SyncedStore {
      const r = (routeOptions as { routeInfo?: { method?: string; url?: string } }).routeInfo;
      return new SyncedStore(undefined, r ? `${r.method}${r.url}` : `${this.name}.child`);
    }

    async sync(): Promise<void> {
      if (this.syncing) return;
      const window = Math.floor(Date.now() / this.timeWindow);
      const due: [string, Counter, number][] = [];
      for (const [key, c] of this.counters) {
        if (c.window < window) this.counters.delete(key); // a past window: forget it
        // Keys without new requests are read too (INCRBY 0): other replicas' traffic counts here.
        else due.push([key, c, c.local]);
      }
      if (!due.length || redis.status !== 'ready') return;
      this.syncing = true;
      try {
        const p = redis.pipeline();
        for (const [key, c, n] of due) {
          const k = `${prefix}${this.name}:${key}:${c.window}`;
          p.incrby(k, n);
          p.pexpire(k, this.timeWindow * 2); // a key per window: extending its life is harmless
        }
        const res = (await p.exec()) ?? [];
        due.forEach(([, c, n], i) => {
          const [err, total] = res[i * 2] ?? [new Error('missing')];
          if (err) return;
          c.local -= n;
          c.synced = Number(total);
        });
      } catch {
        // keep counting locally; the next sync carries these requests
      } finally {
        this.syncing = false;
      }
    }
  }
  return SyncedStore as unknown as FastifyRateLimitStoreCtor;
}
