// What numbering the lobby on the bus costs Redis (issue 17): Redis CPU per lobby event
// published the old way (a plain PUBLISH, the outbox id as seq) against the lobby publish
// script (dedup by id + INCR + XADD + PUBLISH), with the game publish script as a
// reference, on a redis-server of its own (its CPU counters see nothing but this).
// Rounds alternate old/new/game so machine load falls on all three alike.
// `npx tsx bench/micro/lobby-publish.ts` (needs redis-server on PATH).
import { Redis } from 'ioredis';
import { createRedisBus } from '../../server/src/bus/index.js';
import { redisKeys } from '../../server/src/bus/keys.js';
import { startRedis } from '../lib/infra.js';
import { redisCpuUs } from '../lib/redis-cpu.js';
import { fmt, median } from '../lib/stats.js';

const ROUNDS = 5;
const EVENTS = 20_000;
const BATCH = 50; // about what one relay pass or a busy move batch hands over

const redis = await startRedis('lobby-publish');
const prefix = 'bench:';
const keys = redisKeys(prefix);
const raw = new Redis(redis.url);
const sub = new Redis(redis.url);
const bus = createRedisBus({ url: redis.url, keyPrefix: prefix });
// One subscriber on each channel, as an event-stream would be.
await sub.subscribe(keys.channel('lobby'), keys.channel('game:00000000-0000-4000-8000-000000000000'));
let received = 0;
sub.on('message', () => received++);

const cpuUs = () => redisCpuUs(raw);
const summary = JSON.stringify({ game: { id: '00000000-0000-4000-8000-000000000000', status: 'active', seq: 12, moveCount: 10, players: [] } });
const event = (topic: string, seq: number) => ({ topic: topic as 'lobby', seq, kind: 'lobby.game', data: JSON.parse(summary) as unknown, at: new Date().toISOString() });

let nextId = 1;
const ways = {
  /** Before: the outbox id as seq, plain PUBLISH. */
  'plain PUBLISH (before)': async (n: number) => {
    const p = raw.pipeline();
    for (let i = 0; i < n; i++) p.publish(keys.channel('lobby'), JSON.stringify(event('lobby', nextId++)));
    await p.exec();
  },
  'lobby script (now)': (n: number) => bus.publish(Array.from({ length: n }, () => event('lobby', nextId++))),
  'game script (reference)': (n: number) =>
    bus.publish(Array.from({ length: n }, () => ({ ...event('game:00000000-0000-4000-8000-000000000000', nextId++), kind: 'move' }))),
};

const perEvent: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, publish] of Object.entries(ways)) {
      const before = received;
      const c0 = await cpuUs();
      for (let i = 0; i < EVENTS; i += BATCH) await publish(BATCH);
      const c1 = await cpuUs();
      while (received - before < EVENTS) await new Promise((r) => setTimeout(r, 5));
      perEvent[name]!.push((c1 - c0) / EVENTS);
    }
  }
  const base = median(perEvent['plain PUBLISH (before)']!);
  console.log(`Redis CPU per published event (median of ${ROUNDS} alternating rounds of ${EVENTS}, batches of ${BATCH}, one subscriber):`);
  for (const [name, samples] of Object.entries(perEvent)) {
    console.log(`  ${name.padEnd(24)} ${fmt(median(samples), 2)} µs  (${fmt(median(samples) / base, 2)}x)  runs: ${samples.map((s) => fmt(s, 2)).join(', ')}`);
  }
} finally {
  raw.disconnect();
  sub.disconnect();
  await bus.close();
  await redis.stop();
}
