import type { ChainableCommander, Redis } from 'ioredis';

/**
 * The one Redis script of the rate-limit store (rate-limit-store.ts): on each key's hash
 * of bucket → admitted requests (every replica's), in one atomic step
 *  1. adds this replica's requests that Redis has not counted yet (admitted already),
 *  2. forgets buckets older than the span,
 *  3. when asked, admits one more request if the total is below the limit (else not,
 *     and the refused request is not counted: a client that keeps knocking while
 *     limited still gets `max` per window, not zero),
 * and answers with the resulting counts, which the replica takes as its new view.
 *
 * Several keys per call (a sync's every due key): one script call instead of one per
 * key, and each hash read once (the answer is built from that read, not read again).
 *
 * KEYS: the hashes. ARGV, for each key in turn: oldest bucket counted, bucket to admit
 * into, limit (-1: only add), hash lifetime (ms), number of pairs, then the pairs of
 * (bucket, requests) to add.
 * Reply: for each key {admitted 0|1, bucket, count, bucket, count, …}.
 */
const EXCHANGE_LUA = `
local out = {}
local a = 1
for k = 1, #KEYS do
  local key = KEYS[k]
  local lo = tonumber(ARGV[a])
  local bucket = ARGV[a + 1]
  local max = tonumber(ARGV[a + 2])
  local ttl = ARGV[a + 3]
  local last = a + 4 + 2 * tonumber(ARGV[a + 4])
  for i = a + 5, last, 2 do redis.call('HINCRBY', key, ARGV[i], ARGV[i + 1]) end
  a = last + 1
  local total = 0
  local kept = { 0 }
  local at = nil
  local fields = redis.call('HGETALL', key)
  for i = 1, #fields, 2 do
    if tonumber(fields[i]) < lo then redis.call('HDEL', key, fields[i])
    else
      total = total + tonumber(fields[i + 1])
      kept[#kept + 1] = fields[i]
      kept[#kept + 1] = fields[i + 1]
      if fields[i] == bucket then at = #kept end
    end
  end
  if max >= 0 and total < max then
    redis.call('HINCRBY', key, bucket, 1)
    kept[1] = 1
    if at then kept[at] = tostring(tonumber(kept[at]) + 1)
    else
      kept[#kept + 1] = bucket
      kept[#kept + 1] = '1'
    end
  end
  redis.call('PEXPIRE', key, ttl)
  out[k] = kept
end
return out
`;

/** Keys per script call: a sync of thousands of keys is cut so no one call holds Redis long. */
const KEYS_PER_CALL = 200;

type ExchangeCommand = { mtRateLimitExchange(keys: number, ...args: (string | number)[]): unknown };

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
    redis.defineCommand('mtRateLimitExchange', { lua: EXCHANGE_LUA });
  }

  /** Connected (without an offline queue, commands fail at once otherwise). */
  get ready(): boolean {
    return this.redis.status === 'ready';
  }

  /** One exchange, or a rejection after `timeoutMs` (a Redis that hangs must not hold requests). */
  async one(x: Exchange, timeoutMs: number): Promise<Reading> {
    const reply = (this.redis as unknown as ExchangeCommand).mtRateLimitExchange(1, x.key, ...args(x));
    const [reading] = parseAll(await within(reply as Promise<unknown>, timeoutMs), 1);
    return reading!;
  }

  /** Several exchanges, a script call per KEYS_PER_CALL keys in one pipeline; a failed one is `null`. Rejects after `timeoutMs`. */
  async many(xs: readonly Exchange[], timeoutMs: number): Promise<(Reading | null)[]> {
    const p = this.redis.pipeline();
    const chunks: (readonly Exchange[])[] = [];
    for (let i = 0; i < xs.length; i += KEYS_PER_CALL) chunks.push(xs.slice(i, i + KEYS_PER_CALL));
    for (const c of chunks) {
      (p as ChainableCommander & ExchangeCommand).mtRateLimitExchange(c.length, ...c.map((x) => x.key), ...c.flatMap(args));
    }
    const res = (await within(p.exec(), timeoutMs)) ?? [];
    return chunks.flatMap((c, i) => {
      const [err, reply] = res[i] ?? [new Error('no reply')];
      if (err) return c.map(() => null);
      try {
        return parseAll(reply, c.length);
      } catch {
        return c.map(() => null);
      }
    });
  }
}

const args = (x: Exchange): (string | number)[] => [
  x.lo,
  x.admit?.bucket ?? 0,
  x.admit?.max ?? -1,
  x.ttlMs,
  x.add.length,
  ...x.add.flatMap(([b, n]) => [b, n]),
];

function parseAll(reply: unknown, n: number): Reading[] {
  if (!Array.isArray(reply) || reply.length !== n) throw new Error('rate limit: unexpected reply');
  return reply.map(parse);
}

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
