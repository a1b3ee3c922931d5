import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent, Topic } from '@monkeytown/shared';
import { createRedisBus, type Bus } from '../../src/bus/index.js';
import { redisKeys } from '../../src/bus/keys.js';
import type { EventStream } from '../../src/event-stream/index.js';
import { ev, gameTopicOf, until } from '../bus/contract.js';
import { RedisServer } from '@monkeytown/test-support';
import { uniquePrefix } from '../helpers/redis.js';
import { TestClient, range, startTestStream } from './harness.js';
import WebSocket from 'ws';
import { connect } from '@monkeytown/shared/client';

/** An event the shared client accepts (it checks each payload against its kind's schema). */
const chat = (topic: Topic, seq: number): BusEvent => ({
  ...ev(topic, seq, 'chat'),
  data: { playerId: '00000000-0000-4000-8000-000000000001', name: 'Ann', text: `line ${seq}` },
});

// Recovery paths that need Redis itself to misbehave: a lost pub/sub message (live gap
// filled from the replay stream) and a Redis restart (subscriptions restored, what was
// published meanwhile caught up). Uses a private redis-server it can stop.
describe('event-stream recovery over a Redis bus', () => {
  let redis: RedisServer;
  let prefix: string;
  let esBus: Bus;
  let es: EventStream;
  let url: string;
  let http: string;
  beforeAll(async () => {
    redis = await RedisServer.start();
    prefix = uniquePrefix('recovery');
    esBus = createRedisBus({ url: redis.url, keyPrefix: prefix, commandTimeoutMs: 1000 });
    ({ es, url, http } = await startTestStream(esBus));
  });
  afterAll(async () => {
    await es?.close();
    await esBus?.close();
    await redis?.dispose();
  });

  it('holds one Redis subscription per topic however many sockets watch it', async () => {
    const pub = createRedisBus({ url: redis.url, keyPrefix: prefix });
    const topic = gameTopicOf();
    await pub.publish([ev(topic, 1)]);
    const raw = new Redis(redis.url);
    const numsub = async () => Number(((await raw.pubsub('NUMSUB', redisKeys(prefix).channel(topic))) as [string, number])[1]);
    const sockets = await Promise.all(range(1, 20).map(() => TestClient.connect(url)));
    for (const c of sockets) c.send({ type: 'subscribe', topic });
    await Promise.all(sockets.map((c) => c.next((m) => m.type === 'subscribed')));
    expect(await numsub()).toBe(1);
    await pub.publish([ev(topic, 2)]);
    await Promise.all(sockets.map((c) => c.waitFor(() => c.seqs(topic).length === 1)));
    for (const c of sockets) c.close();
    await until(async () => (await numsub()) === 0, 3000, 'unsubscribed from Redis');
    raw.disconnect();
    await pub.close();
  });

  it('fills a live gap (a pub/sub message that never arrived) from the replay stream', async () => {
    const pub = createRedisBus({ url: redis.url, keyPrefix: prefix });
    const topic = gameTopicOf();
    await pub.publish([ev(topic, 1)]);
    const c = await TestClient.connect(url);
    c.send({ type: 'subscribe', topic });
    await c.next((m) => m.type === 'subscribed');
    // Seq 2 reaches the replay stream but its PUBLISH is lost.
    const keys = redisKeys(prefix);
    const raw = new Redis(redis.url);
    await raw.xadd(keys.stream(topic), '2-1', 'e', JSON.stringify(ev(topic, 2)));
    await raw.set(keys.last(topic), '2');
    raw.disconnect();
    await pub.publish([ev(topic, 3)]);
    await c.waitFor(() => c.seqs(topic).length === 2, 5000, 'gap filled');
    expect(c.seqs(topic)).toEqual([2, 3]);
    expect(c.of('resync')).toEqual([]);
    c.close();
    await pub.close();
  });

  it('keeps sockets through a Redis restart, reports not ready meanwhile, and delivers what was published', async () => {
    const topic: Topic = gameTopicOf();
    let pub = createRedisBus({ url: redis.url, keyPrefix: prefix });
    await pub.publish([ev(topic, 1)]);
    const a = await TestClient.connect(url);
    a.send({ type: 'subscribe', topic, sinceSeq: 0 });
    await a.waitFor(() => a.seqs(topic).length === 1);
    await pub.close();

    await redis.stop();
    await until(async () => (await fetch(`${http}/health/ready`)).status === 503, 5000, 'not ready');
    expect((await fetch(`${http}/health/live`)).status).toBe(200);
    a.send({ type: 'ping' });
    await a.next((m) => m.type === 'pong'); // the socket is still served

    await redis.start();
    // A relay that was holding events publishes them the moment Redis is back,
    // possibly before this event-stream has resubscribed; with the game's floor from the
    // outbox (2: its lowest unpublished seq), since this Redis came back empty.
    pub = createRedisBus({ url: redis.url, keyPrefix: prefix });
    const floor = new Map([[topic, 2]]);
    await until(() => pub.publish(range(2, 4).map((s) => ev(topic, s)), floor).then(() => true, () => false), 10_000, 'publish');
    await a.waitFor(() => a.seqs(topic).length === 4, 10_000, 'events published around the restart');
    expect(a.seqs(topic)).toEqual([1, 2, 3, 4]);
    await until(async () => (await fetch(`${http}/health/ready`)).status === 200, 5000, 'ready again');
    await pub.publish([ev(topic, 5)]);
    await a.waitFor(() => a.seqs(topic).includes(5));
    expect(a.seqs(topic)).toEqual([1, 2, 3, 4, 5]);
    a.close();
    await pub.close();
  }, 30_000);

  it('a subscribe during the outage gets unavailable; the client retries and catches up', async () => {
    const topic: Topic = gameTopicOf();
    let pub = createRedisBus({ url: redis.url, keyPrefix: prefix });
    await pub.publish([chat(topic, 1), chat(topic, 2)]);
    await pub.close();
    await redis.stop();
    const errors: string[] = [];
    const got: number[] = [];
    const client = connect(url, { WebSocket, backoff: { initialMs: 100, maxMs: 300 }, onError: (e) => errors.push(e.code) });
    client.subscribe(topic, (e) => got.push(e.seq), { sinceSeq: 0 });
    await until(() => errors.includes('unavailable'), 5000, 'unavailable');
    await redis.start(); // empty: a Redis without persistence lost the game's keys
    pub = createRedisBus({ url: redis.url, keyPrefix: prefix });
    // The relay's backlog, republished after the restart.
    await until(() => pub.publish(range(1, 3).map((s) => chat(topic, s))).then(() => true, () => false), 10_000, 'publish');
    await until(() => got.length === 3, 10_000, () => `events after the retry (have ${got})`);
    expect(got).toEqual([1, 2, 3]);
    client.close();
    await pub.close();
  }, 30_000);
});
