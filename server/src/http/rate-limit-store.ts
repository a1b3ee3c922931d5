import type { Redis } from 'ioredis';
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { RateLimitRedis, type Exchange, type Reading } from './rate-limit-redis.js';
import { add, drop, leavesAt, merge, msUntilAtMost, span, take, total, type Counts, type Span } from './rate-limit-window.js';

type Callback = (err: Error | null, res: { current: number; ttl: number }) => void;

/**
 * How many requests of a key a replica may admit from memory before Redis has counted
 * them — and how far below the limit its view must stay to do so — as a share of the
 * limit (at least 1). It is the documented overshoot per other replica.
 */
export const LOCAL_SHARE = 0.05;
export const localAllowance = (max: number) => Math.max(1, Math.floor(max * LOCAL_SHARE));

export interface RateLimitStoreOptions {
  /** Where replicas share their counts. Without it (or while it is down) each replica counts alone. */
  redis?: Redis;
  /** Key prefix in Redis. */
  prefix: string;
  /** How often requests admitted from memory are sent to Redis (ms). */
  syncMs?: number;
  /** How long a request near the limit waits for Redis before deciding alone (ms). */
  checkTimeoutMs?: number;
  /** How long a background sync may take before it is given up (ms). */
  syncTimeoutMs?: number;
  /** After Redis failed a request's check: decide alone this long before asking again (ms). */
  backoffMs?: number;
  now?: () => number;
}

export interface RateLimitStore {
  /** The store constructor for @fastify/rate-limit's `store` option. */
  Store: FastifyRateLimitStoreCtor;
  /** Stop syncing; one last sync hands this replica's uncounted requests to the others. */
  close(): Promise<void>;
}

interface Entry {
  /** Every replica's admitted requests by bucket, as Redis last told us (ours included). */
  seen: Counts;
  /** Ours that Redis has not counted: not sent yet. */
  unsent: Counts;
  /** Ours sent to Redis, the reply not back yet. */
  sending: Counts;
  /** Checks in flight: the entry is kept until they are answered, whatever it counts. */
  asking: number;
}

/**
 * The rate-limit store of @fastify/rate-limit: sliding windows (rate-limit-window.ts) whose
 * counts replicas share through Redis, without a Redis round trip on most requests.
 *
 * Each replica keeps, per key, its view of every replica's count (what Redis last said)
 * plus its own requests Redis has not counted yet. A request is decided:
 *  - from memory, refused, when the view is already at the limit (others only add to it);
 *  - from memory, admitted, while the view stays `L` below the limit and this replica holds
 *    fewer than `L` requests Redis has not counted (L = localAllowance(max): 5 % of the
 *    limit, at least 1) — the common case, no round trip;
 *  - otherwise by Redis, atomically (rate-limit-redis.ts): the replica's uncounted requests
 *    go in, and one more is admitted only if fewer than `max` are counted. Bursts and
 *    clients near their limit take this path, so replicas cannot each admit a full limit.
 * Requests admitted from memory are sent every `syncMs` (refused ones are never counted).
 *
 * Overshoot: Redis admits only below the limit; what it does not see yet are the other
 * replicas' uncounted requests, fewer than L each and only admitted while their view
 * was L below the limit. So over any stretch of one window a client gets at most
 * max + (N − 1) × L requests through N replicas (limit 20: 21 with two replicas; 240:
 * 252). Windows slide (a client never gets a second limit's worth at a clock-minute
 * boundary); a request counts for one window plus up to one twelfth of it.
 *
 * Redis down, slow (a check waits at most `checkTimeoutMs`, then the replica decides
 * alone for `backoffMs`) or not configured: each replica counts alone, a client spread
 * over N replicas gets up to N × max, and no request fails for it. Counts admitted
 * meanwhile are sent once Redis answers again (a check that timed out may still reach
 * Redis later and count its requests twice: an error on the strict side). Replica clocks are assumed to agree
 * within a fraction of a bucket (5 s for a minute's window).
 *
 * Why not the previous design (local counts, every key's count exchanged every 500 ms,
 * fixed windows aligned to the clock minute):
 *  - the window reset: a paced client whose run crossed a minute boundary found its
 *    count back at 0 on both replicas, so the second half of the run passed whole — 39
 *    of 40 against 20/min, which looked like ~24 s without an exchange;
 *  - nothing was asked before answering: every replica admitted up to the limit until
 *    the next exchange, so a burst spread over replicas passed whole (20 of 20 guest
 *    creations against 10), and a paced one overshot by what it sent in 500 ms;
 *  - an exchange had no timeout: a Redis that stopped answering on an open connection
 *    left `syncing` set, and no count was exchanged until the connection dropped.
 */
export function rateLimitStore(opts: RateLimitStoreOptions): RateLimitStore {
  const shared = opts.redis ? new RateLimitRedis(opts.redis) : undefined;
  const now = opts.now ?? Date.now;
  const syncMs = opts.syncMs ?? 500;
  const checkTimeoutMs = opts.checkTimeoutMs ?? 500;
  const syncTimeoutMs = opts.syncTimeoutMs ?? 2000;
  const backoffMs = opts.backoffMs ?? 1000;
  let askAgainAt = 0;
  /** Whether a request near its limit should ask Redis now. */
  const canAsk = () => Boolean(shared?.ready) && now() >= askAgainAt;

  const stores = new Set<SyncedStore>();
  let timer: NodeJS.Timeout | null = setInterval(() => {
    for (const s of stores) void s.sync();
  }, syncMs);
  timer.unref();

  class SyncedStore {
    private readonly entries = new Map<string, Entry>();
    private windowMs = 60_000;
    private syncing = false;

    // @fastify/rate-limit constructs the root store with its global parameters (unused here).
    constructor(_params?: unknown, private readonly name = 'g') {
      stores.add(this);
    }

    /** A route with its own limit counts apart (by method and URL); createRateLimit's by its keys. */
    child(routeOptions: object): SyncedStore {
      const r = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      return new SyncedStore(undefined, r?.method && r.url ? `${String(r.method)}${String(r.url)}` : `${this.name}.custom`);
    }

    incr(key: string, cb: Callback, windowMs: number, max: number): void {
      this.windowMs = windowMs;
      const t = now();
      const s = span(t, windowMs);
      const e = this.entry(key);
      // Every request passes here: each count is summed once (counted() would sum them again).
      const mine = uncounted(e, s);
      const count = total(e.seen, s.lo) + mine;
      if (count >= max) return cb(null, refused(e, s, t, max));
      const l = localAllowance(max);
      if (!canAsk() || (count + 1 <= max - l && mine < l)) {
        add(e.unsent, s.cur, 1);
        return cb(null, admitted(e, s, t, count + 1));
      }
      void this.ask(key, e, s, max).then((r) => cb(null, r));
    }

    read(key: string, cb: Callback, windowMs: number): void {
      const t = now();
      const s = span(t, windowMs);
      const e = this.entries.get(key);
      cb(null, e ? { current: counted(e, s), ttl: msUntilAtMost([e.seen, e.unsent, e.sending], s, t, 0) } : { current: 0, ttl: 0 });
    }

    /** Near the limit: Redis decides, counting our uncounted requests first. */
    private async ask(key: string, e: Entry, s: Span, max: number): Promise<{ current: number; ttl: number }> {
      const x = this.exchange(key, e, s, { bucket: s.cur, max });
      let reading: Reading;
      e.asking += 1;
      try {
        reading = await shared!.one(x, checkTimeoutMs);
      } catch {
        unsend(e, x);
        askAgainAt = now() + backoffMs;
        // Redis cannot say: decide as when it is down.
        const t = now();
        const at = span(t, this.windowMs);
        if (counted(e, at) >= max) return refused(e, at, t, max);
        add(e.unsent, at.cur, 1);
        return admitted(e, at, t);
      } finally {
        e.asking -= 1;
      }
      askAgainAt = 0;
      received(e, x, reading);
      const t = now();
      const at = span(t, this.windowMs);
      // Redis's verdict stands even if our view has moved meanwhile (requests admitted
      // from memory while this one was asked): the plugin admits when current ≤ max.
      return reading.admitted
        ? { current: Math.min(counted(e, at), max), ttl: admitted(e, at, t).ttl }
        : refused(e, at, t, max);
    }

    /** Send every key's uncounted requests; forget keys with nothing left in their span. */
    async sync(): Promise<void> {
      if (this.syncing) return;
      const s = span(now(), this.windowMs);
      const due: [Entry, Exchange][] = [];
      for (const [key, e] of this.entries) {
        for (const c of [e.seen, e.unsent, e.sending]) drop(c, s.lo);
        if (!e.seen.size && !e.unsent.size && !e.sending.size && !e.asking) this.entries.delete(key);
        else if (e.unsent.size && shared?.ready) due.push([e, this.exchange(key, e, s)]);
      }
      if (!due.length) return;
      this.syncing = true;
      try {
        const readings = await shared!.many(
          due.map(([, x]) => x),
          syncTimeoutMs,
        );
        due.forEach(([e, x], i) => {
          const r = readings[i];
          if (r) received(e, x, r);
          else unsend(e, x);
        });
        askAgainAt = 0;
      } catch {
        for (const [e, x] of due) unsend(e, x); // sent again next time
      } finally {
        this.syncing = false;
      }
    }

    private entry(key: string): Entry {
      let e = this.entries.get(key);
      if (!e) {
        e = { seen: new Map(), unsent: new Map(), sending: new Map(), asking: 0 };
        this.entries.set(key, e);
      }
      return e;
    }

    /** Moves the entry's unsent requests to `sending`, into an exchange for Redis. */
    private exchange(key: string, e: Entry, s: Span, admit?: Exchange['admit']): Exchange {
      const sent = take(e.unsent, s.lo);
      for (const [b, n] of sent) add(e.sending, b, n);
      return {
        key: `${opts.prefix}${this.name}:${s.bucketMs}:${key}`,
        lo: s.lo,
        add: sent,
        ...(admit ? { admit } : {}),
        // The span plus a bucket: a hash outlives its newest request's counting by little.
        ttlMs: (s.cur - s.lo + 2) * s.bucketMs,
      };
    }
  }

  return {
    Store: SyncedStore as unknown as FastifyRateLimitStoreCtor,
    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      await Promise.all([...stores].map((s) => s.sync()));
      stores.clear();
    },
  };
}

/** Every replica's requests as far as this one knows: Redis's view plus ours it has not counted. */
const counted = (e: Entry, s: Span) => total(e.seen, s.lo) + uncounted(e, s);
const uncounted = (e: Entry, s: Span) => total(e.unsent, s.lo) + total(e.sending, s.lo);

/** Admitted: `ttl` is when the oldest counted request stops counting (the remaining count rises). */
function admitted(e: Entry, s: Span, t: number, current = counted(e, s)) {
  let first = s.cur;
  for (const c of [e.seen, e.unsent, e.sending]) for (const b of c.keys()) if (b >= s.lo && b < first) first = b;
  return { current, ttl: leavesAt(first, s) - t };
}

/** Refused (not counted): `ttl` is when enough requests stop counting to admit one more. */
function refused(e: Entry, s: Span, t: number, max: number) {
  return { current: Math.max(counted(e, s), max) + 1, ttl: Math.max(1, msUntilAtMost([e.seen, e.unsent, e.sending], s, t, max - 1)) };
}

/** Redis counted what the exchange carried: its reading replaces our view. */
function received(e: Entry, x: Exchange, r: Reading): void {
  for (const [b, n] of x.add) add(e.sending, b, -n);
  merge(e.seen, r.counts, x.lo);
}

/** Redis did not answer: what the exchange carried is ours to send again. */
function unsend(e: Entry, x: Exchange): void {
  for (const [b, n] of x.add) {
    add(e.sending, b, -n);
    add(e.unsent, b, n);
  }
}
