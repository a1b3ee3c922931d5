import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer } from '@monkeytown/test-support';
import { localAllowance, rateLimitStore, type RateLimitStore, type RateLimitStoreOptions } from '../../src/http/rate-limit-store.js';
import { testRedisUrl, uniquePrefix } from '../helpers/redis.js';

interface Answer {
  current: number;
  ttl: number;
  /** Answered before incr returned: from memory, no Redis round trip. */
  fromMemory: boolean;
  /** The store's clock when it took the request (the time it counts the request at). */
  at: number;
}

type StoreInstance = {
  sync(): Promise<void>;
  incr(key: string, cb: (err: Error | null, r: { current: number; ttl: number }) => void, windowMs: number, max: number): void;
};

/** One replica's store (what @fastify/rate-limit constructs), with its handle. */
function replica(opts: RateLimitStoreOptions) {
  // The store's clock as it decides a request (the bucket the request is counted in).
  const clock = opts.now ?? Date.now;
  let stamp: number | undefined;
  const now = () => {
    const t = clock();
    stamp ??= t;
    return t;
  };
  const limits = rateLimitStore({ ...opts, now });
  const store = new limits.Store({} as never) as unknown as StoreInstance;
  const incr = (key: string, windowMs: number, max: number) =>
    new Promise<Answer>((resolve, reject) => {
      let at: number | undefined;
      let early: Omit<Answer, 'at'> | undefined;
      stamp = undefined;
      store.incr(
        key,
        (err, r) => {
          if (err) return reject(err);
          if (at === undefined) early = { ...r, fromMemory: true };
          else resolve({ ...r, at, fromMemory: false });
        },
        windowMs,
        max,
      );
      at = stamp!;
      if (early) resolve({ ...early, at });
    });
  return { limits, incr, sync: () => store.sync() };
}

const admittedIn = (r: Answer, max: number) => r.current <= max;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The most admissions in any stretch of `windowMs` (admission times in ms). */
function mostInAnyWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (const t of times) most = Math.max(most, times.filter((x) => x >= t && x < t + windowMs).length);
  return most;
}

const opened: RateLimitStore[] = [];
const clients: Redis[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const c of clients.splice(0)) c.disconnect();
});
const track = <T extends { limits: RateLimitStore }>(r: T) => (opened.push(r.limits), r);

describe('rate-limit store: sliding windows (one replica, no Redis)', () => {
  it('a paced client crossing clock-window boundaries never gets more than max in any window', async () => {
    let now = 1_000_000 * 60_000 - 20_000; // 20 s before a clock-minute boundary
    const r = track(replica({ prefix: 'x:', now: () => now }));
    const times: number[] = [];
    // 120 requests, one every second: the old fixed windows admitted 20 before the
    // boundary and 20 more just after it.
    for (let i = 0; i < 120; i++) {
      if (admittedIn(await r.incr('k', 60_000, 20), 20)) times.push(now);
      now += 1000;
    }
    expect(mostInAnyWindow(times, 60_000)).toBeLessThanOrEqual(20);
    // Not stricter than it must be: a request counts for at most a window plus a bucket (65 s).
    expect(times.length).toBeGreaterThanOrEqual(Math.floor((120 / 65) * 20));
  });

  it('refused requests are not counted, and the ttl says when the next one is admitted', async () => {
    let now = 5_000_000;
    const r = track(replica({ prefix: 'x:', now: () => now }));
    const first = [];
    for (let i = 0; i < 5; i++) first.push(await r.incr('k', 10_000, 5));
    expect(first.map((a) => a.current)).toEqual([1, 2, 3, 4, 5]);
    expect(first.every((a) => a.fromMemory)).toBe(true);
    // A client knocking every 100 ms while limited gets its next request once the first ones age out.
    let refusedTtl = 0;
    let admittedAt = 0;
    for (let i = 0; i < 200 && !admittedAt; i++) {
      now += 100;
      const a = await r.incr('k', 10_000, 5);
      if (admittedIn(a, 5)) admittedAt = now;
      else if (!refusedTtl) refusedTtl = a.ttl;
    }
    expect(refusedTtl).toBeGreaterThan(0);
    expect(admittedAt - 5_000_000).toBeGreaterThanOrEqual(10_000); // a full window later
    expect(admittedAt - 5_000_000).toBeLessThanOrEqual(10_000 + Math.ceil(10_000 / 12) + 100); // at most a bucket more
    expect(Math.abs(5_000_000 + 100 + refusedTtl - admittedAt)).toBeLessThanOrEqual(100); // as the ttl said
  });

  it('keys and routes count apart', async () => {
    const r = track(replica({ prefix: 'x:' }));
    for (let i = 0; i < 3; i++) await r.incr('a', 60_000, 3);
    expect(admittedIn(await r.incr('a', 60_000, 3), 3)).toBe(false);
    expect(admittedIn(await r.incr('b', 60_000, 3), 3)).toBe(true);
  });
});

describe('rate-limit store: two replicas through Redis', () => {
  const url = testRedisUrl();
  const connect = () => {
    const c = new Redis(url!, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    c.on('error', () => {});
    clients.push(c);
    return c;
  };
  const ready = (c: Redis) => (c.status === 'ready' ? Promise.resolve() : new Promise<void>((res) => c.once('ready', () => res())));
  /** Two replicas on one Redis; `syncMs` of an hour: the test syncs by hand. */
  const twoReplicas = async (name: string, syncMs?: number) => {
    const prefix = uniquePrefix(name);
    const [c1, c2] = [connect(), connect()];
    await Promise.all([ready(c1), ready(c2)]);
    const opts = syncMs === undefined ? {} : { syncMs };
    return [track(replica({ redis: c1, prefix, ...opts })), track(replica({ redis: c2, prefix, ...opts }))] as const;
  };

  it.runIf(url)('a client alternating replicas, paced across window boundaries, gets at most max + 1 in any window', async () => {
    // A 3 s window (12 buckets of 250 ms), max 10, a request every 60 ms for 7.5 s: the
    // run crosses two clock-window boundaries. The previous store (fixed windows, counts
    // exchanged every 500 ms) let 20 through within one 3 s stretch here.
    const [a, b] = await twoReplicas('rl-paced');
    const windowMs = 3000;
    const max = 10;
    const times: number[] = [];
    const deadline = Date.now() + 7500;
    for (let i = 0; Date.now() < deadline; i++) {
      const r = await (i % 2 ? b : a).incr('player:p', windowMs, max);
      // Counted at the store's clock when it took the request, not when the answer
      // arrived: answers may be late by different amounts.
      if (admittedIn(r, max)) times.push(r.at);
      await sleep(60);
    }
    const overshoot = localAllowance(max); // (N − 1) × L with N = 2
    expect(mostInAnyWindow(times, windowMs)).toBeLessThanOrEqual(max + overshoot);
    expect(times.length).toBeGreaterThanOrEqual(2 * max); // and it is a limit, not a wall: 7.5 s hold two windows' worth
  });

  it.runIf(url)('a burst spread over both replicas passes at most max + 1, decided by Redis', async () => {
    const [a, b] = await twoReplicas('rl-burst');
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? b : a).incr('ip:1', 60_000, 10)));
    const passed = answers.filter((r) => admittedIn(r, 10)).length;
    expect(passed).toBeGreaterThanOrEqual(10);
    expect(passed).toBeLessThanOrEqual(10 + localAllowance(10));
  });

  it.runIf(url)('far below the limit, requests are answered from memory, and each sync shares them', async () => {
    // Syncs by hand here (the timer's would run once an hour).
    const [a, b] = await twoReplicas('rl-common', 3_600_000);
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await a.incr('player:q', 60_000, 240));
    expect(answers.every((r) => r.fromMemory)).toBe(true);
    await a.sync();
    expect((await b.incr('player:q', 60_000, 240)).fromMemory).toBe(true); // b has not seen the key: its 1st
    await b.sync(); // sends it, reads a's ten
    const r = await b.incr('player:q', 60_000, 240);
    expect(r).toMatchObject({ current: 12, fromMemory: true });
  });

  it.runIf(url)('one sync shares every key it carries, however many (one script call per SYNC_CHUNK keys: 450 cross two chunks)', async () => {
    const [a, b] = await twoReplicas('rl-many', 3_600_000);
    const keys = Array.from({ length: 450 }, (_, i) => `player:${i}`);
    for (const [i, k] of keys.entries()) for (let n = 0; n <= i % 3; n++) await a.incr(k, 60_000, 240);
    await a.sync();
    for (const k of keys) await b.incr(k, 60_000, 240); // b's first of each key, from memory
    await b.sync(); // sends them, reads a's
    for (const [i, k] of keys.entries()) {
      expect(await b.incr(k, 60_000, 240)).toMatchObject({ current: (i % 3) + 3, fromMemory: true });
    }
  });

  it.runIf(url)('a key synced for longer than its window keeps only the buckets of its span in Redis', async () => {
    const prefix = uniquePrefix('rl-span');
    const c = connect();
    await ready(c);
    let now = 7_000_000 * 5000;
    const a = track(replica({ redis: c, prefix, syncMs: 3_600_000, now: () => now }));
    // A 60 s window (buckets of 5 s): a request and a sync every 2.5 s for 100 s.
    for (let i = 0; i < 40; i++) {
      await a.incr('player:s', 60_000, 240);
      await a.sync();
      now += 2500;
    }
    await a.sync(); // its read clears what the last one found below the span
    await sleep(50);
    const lo = Math.floor(now / 5000) - 12;
    const buckets = Object.keys(await c.hgetall(`${prefix}g:5000:player:s`)).map(Number);
    expect(buckets.length).toBeGreaterThan(0);
    expect(Math.min(...buckets)).toBeGreaterThanOrEqual(lo - 1);
  });
});

describe('rate-limit store: Redis down or hanging', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await server?.dispose();
  });
  const connect = async () => {
    const c = new Redis(server.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 50 });
    c.on('error', () => {});
    clients.push(c);
    if (c.status !== 'ready') await new Promise<void>((res) => c.once('ready', () => res()));
    return c;
  };

  it('Redis down: requests are still answered, each replica counting alone; its counts reach Redis when it is back', async () => {
    const prefix = uniquePrefix('rl-down');
    const [c1, c2] = [await connect(), await connect()];
    const a = track(replica({ redis: c1, prefix }));
    const b = track(replica({ redis: c2, prefix }));
    await server.stop();
    const passed = { a: 0, b: 0 };
    for (let i = 0; i < 12; i++) {
      const ra = await a.incr('k', 60_000, 5);
      const rb = await b.incr('k', 60_000, 5);
      if (admittedIn(ra, 5)) passed.a++;
      if (admittedIn(rb, 5)) passed.b++;
    }
    expect(passed).toEqual({ a: 5, b: 5 }); // per replica, as documented
    await server.start();
    // Both replicas send what they admitted meanwhile at their next sync.
    const admin = await connect();
    const key = `${prefix}g:5000:k`; // the root store's hash for a minute's window (buckets of 5 s)
    const sum = async () => Object.values(await admin.hgetall(key)).reduce((n, v) => n + Number(v), 0);
    for (let i = 0; i < 100 && (await sum()) < 10; i++) await sleep(100);
    expect(await sum()).toBe(10);
  });

  it('Redis hanging: a request near the limit waits at most the check timeout, then the replica decides alone', async () => {
    const prefix = uniquePrefix('rl-hang');
    const c1 = await connect();
    const a = track(replica({ redis: c1, prefix, checkTimeoutMs: 300, backoffMs: 60_000 }));
    for (let i = 0; i < 3; i++) await a.incr('k', 60_000, 5);
    // A Redis that stops answering but keeps its connections (status stays 'ready').
    process.kill(server.pid!, 'SIGSTOP');
    try {
      const started = Date.now();
      const near = await a.incr('k', 60_000, 5); // 4th of 5: within L of the limit, asks Redis
      expect(near.fromMemory).toBe(false);
      expect(Date.now() - started).toBeLessThan(5000); // not held until Redis answers
      expect(admittedIn(near, 5)).toBe(true); // decided alone: 4 of 5
      const next = await a.incr('k', 60_000, 5); // backing off: from memory
      expect(next.fromMemory).toBe(true);
      expect(admittedIn(next, 5)).toBe(true);
      expect(admittedIn(await a.incr('k', 60_000, 5), 5)).toBe(false);
    } finally {
      process.kill(server.pid!, 'SIGCONT');
    }
  });
});
