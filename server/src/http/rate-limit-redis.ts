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
   * Several exchanges that only add (a sync), in one pipeline of plain commands per key:
   * the adds, the lifetime renewed, the hash read. Adding needs no atomic step (each
   * HINCRBY is one; nothing is decided here), and plain commands cost Redis a fraction
   * of a script call per key. Buckets the read shows below the span are cleared after
   * it (by then they only count for nobody), in a second pipeline: about one sync in ten
   * of a busy key, when its oldest bucket has moved on. A failed exchange is `null`.
   * Rejects after `timeoutMs`.
   */
  async many(xs: readonly Exchange[], timeoutMs: number): Promise<(Reading | null)[]> {
    const p = this.redis.pipeline();
    for (const x of xs) {
      for (const [b, n] of x.add) p.hincrby(x.key, String(b), n);
      p.pexpire(x.key, x.ttlMs).hgetall(x.key);
    }
    const res = (await within(p.exec(), timeoutMs)) ?? [];
    const clear = this.redis.pipeline();
    let i = 0;
    const readings = xs.map((x): Reading | null => {
      const mine = res.slice(i, (i += x.add.length + 2));
      if (mine.length < x.add.length + 2 || mine.some(([err]) => err)) return null;
      const counts: [number, number][] = [];
      const stale: string[] = [];
      for (const [b, n] of Object.entries(mine[mine.length - 1]![1] as Record<string, string>)) {
        if (Number(b) < x.lo) stale.push(b);
        else counts.push([Number(b), Number(n)]);
      }
      if (stale.length) clear.hdel(x.key, ...stale);
      return { admitted: false, counts };
    });
    if (clear.length) void clear.exec().catch(() => {});
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
