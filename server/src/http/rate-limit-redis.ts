import type { Redis } from 'ioredis';

/**
 * A request's check near its limit (rate-limit-store.ts `ask`): a script on the key's
 * hash of bucket → admitted requests (every replica's), which in one atomic step
 *  1. adds this replica's requests that Redis has not counted yet (admitted already),
 *  2. forgets buckets older than the span,
 *  3. admits one more request if the total is below the limit (else not, and the
 *     refused request is not counted: a client that keeps knocking while limited still
 *     gets `max` per window, not zero),
 * and answers with the resulting counts (built from its one read of the hash), which the
 * replica takes as its new view.
 *
 * KEYS[1] the hash; ARGV: oldest bucket counted, bucket to admit into, limit, hash
 * lifetime (ms), then pairs of (bucket, requests) to add.
 * Reply: {admitted 0|1, bucket, count, bucket, count, …}.
 */
const EXCHANGE_LUA = `
local key = KEYS[1]
local lo = tonumber(ARGV[1])
local bucket = ARGV[2]
for i = 5, #ARGV, 2 do redis.call('HINCRBY', key, ARGV[i], ARGV[i + 1]) end
local total = 0
local out = { 0 }
local at = nil
local fields = redis.call('HGETALL', key)
for i = 1, #fields, 2 do
  if tonumber(fields[i]) < lo then redis.call('HDEL', key, fields[i])
  else
    total = total + tonumber(fields[i + 1])
    out[#out + 1] = fields[i]
    out[#out + 1] = fields[i + 1]
    if fields[i] == bucket then at = #out end
  end
end
if total < tonumber(ARGV[3]) then
  redis.call('HINCRBY', key, bucket, 1)
  out[1] = 1
  if at then out[at] = tostring(tonumber(out[at]) + 1)
  else
    out[#out + 1] = bucket
    out[#out + 1] = '1'
  end
end
redis.call('PEXPIRE', key, ARGV[4])
return out
`;

type ExchangeCommand = { mtRateLimitExchange(key: string, ...args: (string | number)[]): unknown };
type SyncCommand = { mtRateLimitSync(...args: (string | number)[]): Promise<unknown> };

/**
 * A sync's script (RateLimitRedis.many): for each key, HINCRBY of each (bucket, requests)
 * this replica sends, PEXPIRE, HGETALL — what the pipeline of plain commands did, in one
 * call — and HDEL of the buckets the read shows below the span (by then they count for
 * nobody; about one sync in ten of a busy key). KEYS: the hashes. ARGV per key, in KEYS
 * order: the oldest bucket counted, the number of pairs, the lifetime (ms), then the
 * pairs. Reply: per key, its counted buckets as integers (bucket, requests, bucket, …).
 */
const SYNC_LUA = `
local out = {}
local a = 1
for k = 1, #KEYS do
  local key = KEYS[k]
  local lo = tonumber(ARGV[a])
  local n = tonumber(ARGV[a + 1])
  local ttl = ARGV[a + 2]
  a = a + 3
  for i = 1, n do
    redis.call('HINCRBY', key, ARGV[a], ARGV[a + 1])
    a = a + 2
  end
  redis.call('PEXPIRE', key, ttl)
  local fields = redis.call('HGETALL', key)
  local counts = {}
  for i = 1, #fields, 2 do
    local b = tonumber(fields[i])
    if b < lo then redis.call('HDEL', key, fields[i])
    else
      counts[#counts + 1] = b
      counts[#counts + 1] = tonumber(fields[i + 1])
    end
  end
  out[k] = counts
end
return out
`;

/**
 * Keys per sync call: a script holds Redis for its whole run (a few µs a key), so a sync
 * of thousands of keys goes as several calls other clients' commands slip between.
 */
export const SYNC_CHUNK = 200;

export interface Exchange {
  /** The key's hash in Redis. */
  key: string;
  /** The oldest bucket still counted. */
  lo: number;
  /** Requests this replica admitted that Redis has not counted, by bucket. */
  add: readonly (readonly [number, number])[];
  /** Admit one more request into `bucket` if fewer than `max` are counted. */
  admit?: { bucket: number; max: number };
  /** The hash's lifetime: a little over the span, refreshed by every exchange. */
  ttlMs: number;
}

export interface Reading {
  admitted: boolean;
  /** Every replica's requests by bucket, this exchange included. */
  counts: [number, number][];
}

export class RateLimitRedis {
  constructor(private readonly redis: Redis) {
    redis.defineCommand('mtRateLimitExchange', { numberOfKeys: 1, lua: EXCHANGE_LUA });
    // The number of keys is the call's first argument (a sync sends up to SYNC_CHUNK).
    redis.defineCommand('mtRateLimitSync', { lua: SYNC_LUA });
  }

  /** Connected (without an offline queue, commands fail at once otherwise). */
  get ready(): boolean {
    return this.redis.status === 'ready';
  }

  /** One exchange that admits (`x.admit` required), or a rejection after `timeoutMs` (a Redis that hangs must not hold requests). */
  async one(x: Exchange, timeoutMs: number): Promise<Reading> {
    const reply = (this.redis as unknown as ExchangeCommand).mtRateLimitExchange(x.key, ...args(x));
    return parse(await within(reply as Promise<unknown>, timeoutMs));
  }

  /**
   * Several exchanges that only add (a sync): per key, the adds, the lifetime renewed,
   * the hash read, its buckets below the span cleared — in one script call per
   * SYNC_CHUNK keys (SYNC_LUA). Adding needs no atomic step (nothing is decided here),
   * and a sync was a pipeline of plain commands, three per key: Redis ran them for
   * ~4 µs a key, but this process paid for three ioredis commands (a promise, an argument
   * array, a reply object each), a pipeline's result list and an HGETALL object per key,
   * twice a second for every active key — ~2,000 keys at G = 500 self-play, the
   * game-server's largest cost added since 80d56d6 (docs/performance.md, *The
   * game-server per move: the rate-limit sync and the lane scan*). A key whose call failed is
   * `null`; nothing answered or `timeoutMs` passed: the sync rejects.
   */
  async many(xs: readonly Exchange[], timeoutMs: number): Promise<(Reading | null)[]> {
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < xs.length; i += SYNC_CHUNK) {
      const chunk = xs.slice(i, i + SYNC_CHUNK);
      const argv: (string | number)[] = [chunk.length];
      for (const x of chunk) argv.push(x.key);
      for (const x of chunk) {
        argv.push(x.lo, x.add.length, x.ttlMs);
        for (const [b, n] of x.add) argv.push(b, n);
      }
      calls.push((this.redis as unknown as SyncCommand).mtRateLimitSync(...argv));
    }
    const settled = await within(Promise.allSettled(calls), timeoutMs);
    // Nothing answered (Redis down): the sync failed. Otherwise a failed call's keys are null, not the others.
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed && settled.every((r) => r.status === 'rejected')) throw (failed as PromiseRejectedResult).reason;
    const replies = settled.map((r) => (r.status === 'fulfilled' ? r.value : null));
    const readings = xs.map((_, i): Reading | null => {
      const hashes = replies[Math.floor(i / SYNC_CHUNK)];
      const flat = Array.isArray(hashes) ? (hashes[i % SYNC_CHUNK] as unknown) : null;
      if (!Array.isArray(flat)) return null;
      const counts: [number, number][] = [];
      for (let f = 0; f + 1 < flat.length; f += 2) counts.push([Number(flat[f]), Number(flat[f + 1])]);
      return { admitted: false, counts };
    });
    return readings;
  }
}

const args = (x: Exchange): (string | number)[] => [
  x.lo,
  x.admit?.bucket ?? 0,
  x.admit?.max ?? -1,
  x.ttlMs,
  ...x.add.flatMap(([b, n]) => [b, n]),
];

function parse(reply: unknown): Reading {
  if (!Array.isArray(reply)) throw new Error('rate limit: unexpected reply');
  const counts: [number, number][] = [];
  for (let i = 1; i + 1 < reply.length; i += 2) counts.push([Number(reply[i]), Number(reply[i + 1])]);
  return { admitted: Number(reply[0]) === 1, counts };
}

/**
 * `p`, or a rejection once `ms` have passed. The timer's verdict waits for the poll phase
 * (setImmediate): after the event loop was blocked longer than `ms`, timers run before
 * the reply already waiting in the socket is read, and a healthy Redis would be called
 * slow just because this process was busy.
 */
export function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (settled) return;
        settled = true;
        reject(new Error(`rate limit: Redis did not answer in ${ms} ms`));
      });
    }, ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        if (settled) return;
        settled = true;
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        if (settled) return;
        settled = true;
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
