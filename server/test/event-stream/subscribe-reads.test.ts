import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer } from '@monkeytown/test-support';
import { createRedisBus, type Bus } from '../../src/bus/index.js';
import type { EventStream } from '../../src/event-stream/index.js';
import { ev, gameTopicOf } from '../bus/contract.js';
import { uniquePrefix } from '../helpers/redis.js';
import { TestClient, range, startTestStream } from './harness.js';

// What a subscribe costs Redis: the first socket of a topic reads the replay and the
// last seq once (one Lua call), later sockets whose resume point the topic's recent events
// cover read nothing, and every socket still gets exactly the events after its sinceSeq.
// A private redis-server, so its command counts are this test's alone.
describe('subscribe reads over a Redis bus', () => {
  let redis: RedisServer;
  let bus: Bus;
  let es: EventStream;
  let url: string;
  let raw: Redis;
  beforeAll(async () => {
    redis = await RedisServer.start();
    bus = createRedisBus({ url: redis.url, keyPrefix: uniquePrefix('reads') });
    ({ es, url } = await startTestStream(bus));
    raw = new Redis(redis.url);
  });
  afterAll(async () => {
    raw?.disconnect();
    await es?.close();
    await bus?.close();
    await redis?.dispose();
  });

  /** Calls of each read command so far (INFO commandstats). */
  const reads = async () => {
    const info = await raw.info('commandstats');
    const calls = (cmd: string) => Number(new RegExp(`^cmdstat_${cmd}:calls=(\\d+)`, 'm').exec(info)?.[1] ?? 0);
    return { xrange: calls('xrange'), get: calls('get') };
  };
  const delta = async (before: { xrange: number; get: number }) => {
    const now = await reads();
    return { xrange: now.xrange - before.xrange, get: now.get - before.get };
  };

  it('reads once for the first socket of a topic, not at all for a joiner the recent events cover', async () => {
    const topic = gameTopicOf();
    await bus.publish(range(1, 3).map((s) => ev(topic, s)));
    const [a, b, c] = await Promise.all([TestClient.connect(url), TestClient.connect(url), TestClient.connect(url)]);

    let before = await reads();
    a.send({ type: 'subscribe', topic, sinceSeq: 1 });
    await a.waitFor(() => a.seqs(topic).length === 2, 5000, 'replay');
    expect(a.seqs(topic)).toEqual([2, 3]);
    expect(await delta(before)).toEqual({ xrange: 1, get: 1 }); // one replay read: XRANGE + GET

    before = await reads();
    b.send({ type: 'subscribe', topic, sinceSeq: 1 });
    await b.waitFor(() => b.seqs(topic).length === 2, 5000, 'replay');
    expect(b.seqs(topic)).toEqual([2, 3]);
    expect(await delta(before)).toEqual({ xrange: 0, get: 0 });

    // Further back than the topic's recent events reach: read from the stream.
    before = await reads();
    c.send({ type: 'subscribe', topic, sinceSeq: 0 });
    await c.waitFor(() => c.seqs(topic).length === 3, 5000, 'replay');
    expect(c.seqs(topic)).toEqual([1, 2, 3]);
    expect((await delta(before)).xrange).toBe(1);

    await bus.publish([ev(topic, 4)]);
    for (const x of [a, b, c]) await x.waitFor(() => x.seqs(topic).at(-1) === 4, 5000, 'live event');
    expect([a, b, c].map((x) => x.seqs(topic))).toEqual([[2, 3, 4], [2, 3, 4], [1, 2, 3, 4]]);
    for (const x of [a, b, c]) x.close();
  });
});
