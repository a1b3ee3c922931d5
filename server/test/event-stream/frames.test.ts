import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wsProtocols } from '@monkeytown/shared';
import { createRedisBus, type Bus } from '../../src/bus/index.js';
import { redisKeys } from '../../src/bus/keys.js';
import type { EventStream } from '../../src/event-stream/index.js';
import { ev, gameTopicOf, until } from '../bus/contract.js';
import { testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import { range, startTestStream } from './harness.js';

/** A socket that keeps every text frame exactly as it arrived. */
async function rawSocket(url: string): Promise<{ ws: WebSocket; frames: string[] }> {
  const ws = new WebSocket(url, wsProtocols());
  const frames: string[] = [];
  ws.on('message', (data) => frames.push(data.toString()));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, frames };
}
const events = (frames: string[]) => frames.filter((f) => f.startsWith('{"type":"event"'));

// The event-stream validates what comes off the bus once per process and builds each
// event's frame once: every socket gets the same bytes, and a malformed message reaches
// none of them. Real Redis (TEST_REDIS_URL); without it skipped, a failure under CI=true.
const url = testRedisUrl();
describe.skipIf(!url)('event frames over a Redis bus', () => {
  let bus: Bus;
  let es: EventStream;
  let wsUrl: string;
  let http: string;
  let prefix: string;
  let raw: Redis;
  beforeAll(async () => {
    prefix = uniquePrefix('frames');
    bus = createRedisBus({ url: url!, keyPrefix: prefix, ttlSeconds: 300 });
    ({ es, url: wsUrl, http } = await startTestStream(bus));
    raw = new Redis(url!);
  });
  afterAll(async () => {
    raw?.disconnect();
    await es?.close();
    await bus?.close();
  });

  const invalidCount = async () => {
    const text = await (await fetch(`${http}/metrics`)).text();
    return Number(/^mt_es_invalid_bus_events_total (\d+)/m.exec(text)?.[1]);
  };

  it('sends every subscriber of an event byte-identical frames, the published payload with its type in front', async () => {
    const topic = gameTopicOf();
    await bus.publish([ev(topic, 1)]);
    const sockets = await Promise.all(range(1, 8).map(() => rawSocket(wsUrl)));
    for (const s of sockets) s.ws.send(JSON.stringify({ type: 'subscribe', topic, sinceSeq: 0 }));
    await Promise.all(sockets.map((s) => until(() => events(s.frames).length === 1, 5000, 'replayed event')));
    await bus.publish([ev(topic, 2), ev(topic, 3)]);
    await Promise.all(sockets.map((s) => until(() => events(s.frames).length === 3, 5000, 'live events')));
    const expected = [1, 2, 3].map((seq) => `{"type":"event",${JSON.stringify(ev(topic, seq)).slice(1)}`);
    for (const s of sockets) expect(events(s.frames)).toEqual(expected);
    for (const s of sockets) s.ws.close();
  });

  it('drops a malformed bus message, live or replayed, counts it, and goes on with the next valid event', async () => {
    const topic = gameTopicOf();
    const keys = redisKeys(prefix);
    await bus.publish([ev(topic, 1)]);
    // A foreign entry in the replay stream, between seq 1 and 2.
    await raw.xadd(keys.stream(topic), '1-2', 'e', '{"topic":"lobby","seq":"x"}');
    const before = await invalidCount();
    const s = await rawSocket(wsUrl);
    s.ws.send(JSON.stringify({ type: 'subscribe', topic, sinceSeq: 0 }));
    await until(() => events(s.frames).length === 1, 5000, 'replayed event');
    const channel = keys.channel(topic);
    await raw.publish(channel, 'not json');
    await raw.publish(channel, JSON.stringify({ ...ev(topic, 2), seq: 'two' }));
    await raw.publish(channel, JSON.stringify(ev(gameTopicOf(), 2))); // another topic's event on this channel
    // A valid event with a field the contract does not have: delivered without it (and
    // recorded as the game's last seq, as a publish of seq 2 would have).
    await raw.publish(channel, JSON.stringify({ ...ev(topic, 2), internal: 'never to a client' }));
    await raw.set(keys.last(topic), '2');
    await bus.publish([ev(topic, 3)]);
    await until(() => events(s.frames).length === 3, 5000, 'valid events');
    expect(events(s.frames).map((f) => JSON.parse(f).seq)).toEqual([1, 2, 3]);
    expect(s.frames.join('\n')).not.toContain('internal');
    expect(s.frames.some((f) => f.includes('"type":"resync"'))).toBe(false);
    expect(await invalidCount()).toBe(before + 4); // 1 replayed + 3 live
    // The process is still up and serving.
    expect((await fetch(`${http}/health/ready`)).status).toBe(200);
    s.ws.close();
  });
});
