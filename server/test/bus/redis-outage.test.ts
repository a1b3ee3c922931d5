import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBus, type Bus } from '../../src/bus/index.js';
import { redisKeys } from '../../src/bus/keys.js';
import { ev, gameTopicOf, until } from './contract.js';
import { RedisServer } from '@monkeytown/test-support';
import { uniquePrefix } from '../helpers/redis.js';

// Needs only the redis-server binary: the test runs its own on a free port.
describe('Redis bus during a Redis outage', () => {
  let redis: RedisServer;
  let bus: Bus;
  beforeAll(async () => {
    redis = await RedisServer.start();
    bus = createRedisBus({ url: redis.url, keyPrefix: uniquePrefix('outage'), commandTimeoutMs: 1000 });
  });
  afterAll(async () => {
    await bus?.close();
    await redis?.dispose();
  });

  it('rejects publishes while Redis is down and works again after, resubscribing', async () => {
    const topic = gameTopicOf();
    const got: number[] = [];
    let resubscribed = 0;
    bus.onResubscribe(() => resubscribed++);
    await bus.subscribe(topic, (e) => got.push(e.seq));
    await bus.publish([ev(topic, 1)]);
    await until(() => got.length === 1);

    await redis.stop();
    const started = Date.now();
    await expect(bus.publish([ev(topic, 2)])).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3000); // fails fast, does not hang
    expect(await bus.ping()).toBe(false);
    await expect(bus.replay(topic, 0)).rejects.toThrow();

    await redis.start();
    // This Redis came back empty: it no longer knows the game's last seq, so a publish
    // without a floor is parked, not placed (seq 2 must not be guessed to be next).
    await until(async () => bus.publish([ev(topic, 2)]).then(() => true, () => false), 10_000, 'publish after restart');
    expect(await bus.lastSeq(topic)).toBeNull();
    // The relay's behaviour: publish with the game's floor from the outbox (1 was marked, 2 was not).
    expect(await bus.publish([ev(topic, 2)], new Map([[topic, 2]]))).toEqual(['published']);
    await until(() => resubscribed > 0, 10_000, 'resubscribe');
    expect(await bus.publish([ev(topic, 3)])).toEqual(['published']);
    await until(() => got.includes(3), 5000, 'live event after restart');
    expect(await bus.ping()).toBe(true);
    // Event 2 may have been published before the subscription came back (then the
    // event-stream fills it from the replay buffer on its resubscribe callback).
    expect(got.filter((s) => s !== 2)).toEqual([1, 3]);
    expect((await bus.replay(topic, 1)).events.map((e) => e.seq)).toEqual([2, 3]);
  }, 30_000);

  it('a reconnect to a Redis that kept its data leaves the lobby counter alone: no jump, no resync', async () => {
    const own = uniquePrefix('blip');
    const b = createRedisBus({ url: redis.url, keyPrefix: own, commandTimeoutMs: 1000 });
    const got: number[] = [];
    await b.subscribe('lobby', (e) => got.push(e.seq));
    await b.publish([1, 2, 3].map((id) => ev('lobby', id, 'lobby.game')));
    await until(() => got.length === 3);
    // Seconds of lobby traffic later (a counter of events is always far behind the clock).
    await new Promise((r) => setTimeout(r, 50));
    const raw = new Redis(redis.url);
    await raw.client('KILL', 'TYPE', 'normal');
    raw.disconnect();
    await until(async () => b.publish([ev('lobby', 4, 'lobby.game')]).then(() => true, () => false), 10_000, 'publish after reconnect');
    await until(() => got.length === 4, 5000, 'the lobby event after the reconnect');
    expect(got[3]).toBe(got[2]! + 1);
    await b.close();
  }, 30_000);

  it('after a failover that lost the last lobby INCRs, the reconnected publisher still numbers above every seq seen', async () => {
    const own = uniquePrefix('failover');
    const keys = redisKeys(own);
    const b = createRedisBus({ url: redis.url, keyPrefix: own, commandTimeoutMs: 1000 });
    const got: number[] = [];
    await b.subscribe('lobby', (e) => got.push(e.seq));
    const raw = new Redis(redis.url);
    // A counter that has been running for a minute (the lift leaves a recent one alone).
    await raw.set(keys.last('lobby'), String((Date.now() - 60_000) * 1000));
    await b.publish([1, 2, 3, 4].map((id) => ev('lobby', id, 'lobby.game')));
    await until(() => got.length === 4);
    // The new primary missed the last two publishes (counter and stream: a script's
    // writes replicate together), and every publisher's connection dropped.
    await raw.decrby(keys.last('lobby'), 2);
    const lost = await raw.xrevrange(keys.stream('lobby'), '+', '-', 'COUNT', 2);
    await raw.xdel(keys.stream('lobby'), ...lost.map(([id]) => id));
    await raw.call('XSETID', keys.stream('lobby'), `${await raw.get(keys.last('lobby'))}-1`);
    await raw.client('KILL', 'TYPE', 'normal');
    await until(async () => b.publish([ev('lobby', 5, 'lobby.game')]).then(() => true, () => false), 10_000, 'publish after reconnect');
    await until(() => got.length === 5, 5000, 'the lobby event after the reconnect');
    expect(got.every((s, i) => i === 0 || s > got[i - 1]!), `seqs ${got.join(', ')}`).toBe(true);
    raw.disconnect();
    await b.close();
  }, 30_000);
});
