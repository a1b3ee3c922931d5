// CPU per key of a rate-limit sync — Redis's and this (the game-server's) process's —
// (http/rate-limit-redis.ts `many`: every 500 ms each replica sends every active key's
// uncounted requests and reads back every replica's counts), three ways, alternating, on
// a redis-server of its own:
//  - `many` as it is: one script call per SYNC_CHUNK keys (HINCRBY, PEXPIRE, HGETALL, the
//    stale buckets' HDEL each; the counts answered as integers);
//  - the pipeline of plain commands it replaced (the same three commands per key);
//  - 80d56d6's fixed-window counters (INCRBY + PEXPIRE per key, pipelined).
// Each key holds a minute's 13 buckets of 5 s, a new one every 10 syncs, as under steady self-play (a player's key is
// synced twice a second, ~2 keys per move at G = 500).
// `npx tsx bench/micro/rate-limit-sync.ts [--keys 2000] [--rounds 4]`.
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { RateLimitRedis, type Exchange } from '../../server/src/http/rate-limit-redis.js';
import { startRedis } from '../lib/infra.js';
import { redisCpuUs } from '../lib/redis-cpu.js';
import { fmt, median } from '../lib/stats.js';

const { values } = parseArgs({ options: { keys: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '4' } } });
const KEYS = Number(values.keys);
const ROUNDS = Number(values.rounds);
const SYNCS = 20;

/** The sync before the script: three plain commands per key, pipelined, the read parsed as `many` did. */
async function pipelined(redis: Redis, xs: Exchange[]): Promise<number> {
  const p = redis.pipeline();
  for (const x of xs) {
    for (const [b, n] of x.add) p.hincrby(x.key, String(b), n);
    p.pexpire(x.key, x.ttlMs).hgetall(x.key);
  }
  const res = (await p.exec()) ?? [];
  const clear = redis.pipeline();
  let i = 0;
  let seen = 0;
  for (const x of xs) {
    const mine = res.slice(i, (i += x.add.length + 2));
    const stale: string[] = [];
    for (const [b, n] of Object.entries(mine[mine.length - 1]![1] as Record<string, string>)) {
      if (Number(b) < x.lo) stale.push(b);
      else seen += Number(n);
    }
    if (stale.length) clear.hdel(x.key, ...stale);
  }
  if (clear.length) await clear.exec();
  return seen;
}

const redis = await startRedis('rate-limit-sync');
const raw = new Redis(redis.url);
const rl = new RateLimitRedis(raw);
// A bucket is a twelfth of the window (5 s of a minute): a new one every 10 syncs of 500 ms.
let sync = 0;
let bucket = 1_000;
type Way = 'script' | 'pipelined' | 'old';
const figures: Record<Way, { redis: number[]; client: number[] }> = {
  script: { redis: [], client: [] }, pipelined: { redis: [], client: [] }, old: { redis: [], client: [] },
};
const exchanges = (prefix: string): Exchange[] =>
  Array.from({ length: KEYS }, (_, i) => ({ key: `${prefix}:5000:player:${i}`, lo: bucket - 12, add: [[bucket, 1] as const], ttlMs: 70_000 }));

async function timed(way: Way, round: number, run: () => Promise<unknown>): Promise<void> {
  const r0 = await redisCpuUs(raw);
  const c0 = process.cpuUsage();
  for (let s = 0; s < SYNCS; s++) {
    if (++sync % 10 === 0) bucket++;
    await run();
  }
  const c = process.cpuUsage(c0);
  const r1 = await redisCpuUs(raw);
  if (round === 0) return; // a round of warm-up (JIT, connections)
  figures[way].redis.push((r1 - r0) / (SYNCS * KEYS));
  figures[way].client.push((c.user + c.system) / (SYNCS * KEYS));
}

try {
  // Every key starts with a minute's 13 buckets, as a player's key under steady play.
  for (const prefix of ['rl:s', 'rl:p']) {
    const p = raw.pipeline();
    for (let i = 0; i < KEYS; i++) for (let b = bucket - 12; b <= bucket; b++) p.hincrby(`${prefix}:5000:player:${i}`, String(b), 3);
    await p.exec();
  }
  for (let round = 0; round <= ROUNDS; round++) {
    await timed('script', round, () => rl.many(exchanges('rl:s'), 10_000));
    await timed('pipelined', round, () => pipelined(raw, exchanges('rl:p')));
    await timed('old', round, async () => {
      const p = raw.pipeline();
      for (let i = 0; i < KEYS; i++) p.incrby(`old:${i}:${bucket}`, 1).pexpire(`old:${i}:${bucket}`, 70_000);
      await p.exec();
    });
  }
  const line = (label: string, f: { redis: number[]; client: number[] }) =>
    console.log(`  ${label.padEnd(62)} Redis ${fmt(median(f.redis), 2)} µs, client ${fmt(median(f.client), 2)} µs  ` +
      `(runs: Redis ${f.redis.map((v) => fmt(v, 2)).join(', ')}; client ${f.client.map((v) => fmt(v, 2)).join(', ')})`);
  console.log(`CPU per key synced (median of ${ROUNDS} rounds of ${SYNCS} syncs of ${KEYS} keys):`);
  line('many: one script call per chunk (HINCRBY, PEXPIRE, HGETALL, HDEL)', figures.script);
  line('the pipeline of plain commands it replaced', figures.pipelined);
  line("80d56d6's fixed windows (INCRBY + PEXPIRE)", figures.old);
} finally {
  raw.disconnect();
  await redis.stop();
}
