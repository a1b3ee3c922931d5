// Redis CPU per key of a rate-limit sync (http/rate-limit-redis.ts `many`: every 500 ms
// each replica sends every active key's uncounted requests and reads back every
// replica's counts), against the old build's fixed-window counters (INCRBY + PEXPIRE per
// key, pipelined), on a redis-server of its own. Each key holds a minute's 13 buckets as
// under steady self-play (a player's key is synced twice a second, ~3 keys per move at
// G = 500). `npx tsx bench/micro/rate-limit-sync.ts [--keys 2000] [--rounds 4]`.
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { RateLimitRedis } from '../../server/src/http/rate-limit-redis.js';
import { startRedis } from '../lib/infra.js';
import { redisCpuUs } from '../lib/redis-cpu.js';
import { fmt, median } from '../lib/stats.js';

const { values } = parseArgs({ options: { keys: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '4' } } });
const KEYS = Number(values.keys);
const ROUNDS = Number(values.rounds);
const SYNCS = 20;

const redis = await startRedis('rate-limit-sync');
const raw = new Redis(redis.url);
const rl = new RateLimitRedis(raw);
let bucket = 1_000;
const sync: number[] = [];
const old: number[] = [];
try {
  // The first round fills the hashes (13 buckets each); every round after that moves on one bucket per sync.
  for (let round = 0; round <= ROUNDS; round++) {
    const c0 = await redisCpuUs(raw);
    for (let s = 0; s < SYNCS; s++) {
      bucket++;
      await rl.many(Array.from({ length: KEYS }, (_, i) => ({ key: `rl:g:5000:player:${i}`, lo: bucket - 12, add: [[bucket, 1] as const], ttlMs: 70_000 })), 10_000);
    }
    const c1 = await redisCpuUs(raw);
    for (let s = 0; s < SYNCS; s++) {
      const p = raw.pipeline();
      for (let i = 0; i < KEYS; i++) p.incrby(`old:${i}:${bucket}`, 1).pexpire(`old:${i}:${bucket}`, 70_000);
      await p.exec();
    }
    const c2 = await redisCpuUs(raw);
    if (round === 0) continue;
    sync.push((c1 - c0) / (SYNCS * KEYS));
    old.push((c2 - c1) / (SYNCS * KEYS));
  }
  console.log(`Redis CPU per key synced (median of ${ROUNDS} rounds of ${SYNCS} syncs of ${KEYS} keys):`);
  console.log(`  sync (HINCRBY, PEXPIRE, HGETALL; stale buckets cleared after)  ${fmt(median(sync), 2)} µs  (runs ${sync.map((v) => fmt(v, 2)).join(', ')})`);
  console.log(`  80d56d6's fixed windows (INCRBY + PEXPIRE)                     ${fmt(median(old), 2)} µs  (runs ${old.map((v) => fmt(v, 2)).join(', ')})`);
} finally {
  raw.disconnect();
  await redis.stop();
}
