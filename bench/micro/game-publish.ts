// What one ordering-script call per batch saves against one per event (issue 28): the
// game events of a move batch (one per game, G games) published as a pipeline of one
// script call per event (before) or as one call for the whole run (now: the bus's own
// publish), on a redis-server of its own (its CPU counters see nothing but this), each
// game's channel subscribed as an event-stream would. Redis CPU from INFO, the
// publisher's from process.cpuUsage; rounds alternate the two ways so machine load
// falls on both alike.
// `npx tsx bench/micro/game-publish.ts [--games 50] [--rounds 5]` (needs redis-server on PATH).
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import type { BusEvent, Topic } from '@monkeytown/shared';
import { createRedisBus } from '../../server/src/bus/index.js';
import { redisKeys } from '../../server/src/bus/keys.js';
import { PUBLISH_GAMES_LUA } from '../../server/src/bus/redis-scripts.js';
import { startRedis } from '../lib/infra.js';
import { redisCpuUs } from '../lib/redis-cpu.js';
import { fmt, median } from '../lib/stats.js';

const { values } = parseArgs({ options: { games: { type: 'string', default: '50' }, rounds: { type: 'string', default: '5' } } });
const GAMES = Number(values.games);
const ROUNDS = Number(values.rounds);
const EVENTS = 20_000;

const redis = await startRedis('game-publish');
const prefix = 'bench:';
const keys = redisKeys(prefix);
const raw = new Redis(redis.url);
raw.defineCommand('mtPublishGames', { lua: PUBLISH_GAMES_LUA });
const sub = new Redis(redis.url);
const bus = createRedisBus({ url: redis.url, keyPrefix: prefix });
const topics = Array.from({ length: GAMES }, (_, i) => `game:00000000-0000-4000-8000-${String(i).padStart(12, '0')}` as Topic);
await sub.subscribe(...topics.map((t) => keys.channel(t)));
let received = 0;
sub.on('message', () => received++);

const cpuUs = () => redisCpuUs(raw);
const seqs = new Map<Topic, number>(topics.map((t) => [t, 0]));
// A move event about the size of a tic-tac-toe move's (the bench's self-play).
const move = (topic: Topic): BusEvent => {
  const seq = seqs.get(topic)! + 1;
  seqs.set(topic, seq);
  return { topic, seq, kind: 'move', data: { move: { cell: seq % 9 }, by: 'X', stateSeq: seq, turn: 'O', clocks: null, status: 'active', moveNumber: seq }, at: new Date().toISOString() };
};
const batch = () => topics.map(move);

const ways: Record<string, (events: BusEvent[]) => Promise<unknown>> = {
  /** Before: a pipeline of one script call per event (the old bus, argument for argument). */
  'a call per event (before)': async (events) => {
    const p = raw.pipeline() as unknown as Record<string, (...a: unknown[]) => unknown> & { exec(): Promise<unknown> };
    for (const e of events) {
      p.mtPublishGames!(3, keys.stream(e.topic), keys.last(e.topic), keys.parked(e.topic), '1000', '86400',
        keys.channel(e.topic), JSON.stringify(e), String(e.seq), '0');
    }
    await p.exec();
  },
  'a call per batch (now)': (events) => bus.publish(events),
};

const redisUs: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
const clientUs: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, publish] of Object.entries(ways)) {
      const before = received;
      const c0 = await cpuUs();
      const p0 = process.cpuUsage();
      let n = 0;
      while (n < EVENTS) {
        await publish(batch());
        n += GAMES;
      }
      const p1 = process.cpuUsage(p0);
      const c1 = await cpuUs();
      while (received - before < n) await new Promise((r) => setTimeout(r, 5));
      redisUs[name]!.push((c1 - c0) / n);
      clientUs[name]!.push((p1.user + p1.system) / n);
    }
  }
  console.log(`CPU per published game event (median of ${ROUNDS} alternating rounds of ${EVENTS}, batches of ${GAMES} games, every channel subscribed):`);
  for (const name of Object.keys(ways)) {
    const r = median(redisUs[name]!);
    const c = median(clientUs[name]!);
    console.log(`  ${name.padEnd(26)} Redis ${fmt(r, 2)} µs, publisher ${fmt(c, 2)} µs  (Redis runs: ${redisUs[name]!.map((s) => fmt(s, 2)).join(', ')})`);
  }
} finally {
  raw.disconnect();
  sub.disconnect();
  await bus.close();
  await redis.stop();
}
