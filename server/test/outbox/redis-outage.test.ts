import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '@monkeytown/shared';
import { createBus, type Bus } from '../../src/bus/index.js';
import { RedisServer } from '@monkeytown/test-support';
import { uniquePrefix } from '../helpers/redis.js';
import { backends, type TestDb } from '../helpers/db.js';
import { guest, startTestServer, waitFor, type TestServer } from '../helpers/server.js';

const backlog = async (s: TestServer) =>
  (await s.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0]!.n;

/**
 * Acceptance 5 with real Redis: a private redis-server (never the shared one) is
 * stopped while moves are made, then started again. Moves commit during the outage;
 * afterwards every event reaches Redis, in order, once.
 */
describe.each(backends())('outbox over a Redis outage ($name)', (backend) => {
  let tdb: TestDb;
  let redis: RedisServer;
  let s: TestServer;
  let peer: Bus;
  const keyPrefix = uniquePrefix('outbox');
  beforeAll(async () => {
    tdb = await backend.create();
    redis = await RedisServer.start();
    const bus = createBus({ redisUrl: redis.url, keyPrefix, commandTimeoutMs: 500 });
    s = await startTestServer(tdb.db, { bus });
    peer = createBus({ redisUrl: redis.url, keyPrefix, commandTimeoutMs: 500 });
  });
  afterAll(async () => {
    await s?.close();
    await s?.bus.close();
    await peer?.close();
    await redis?.dispose();
    await tdb?.drop();
  });

  it('commits moves while Redis is down and publishes all of them in order once it is back', async () => {
    const a = await guest(s, 'A');
    const b = await guest(s, 'B');
    const id = (await s.req('POST', '/api/games', { token: a.token, body: { type: 'connect4', opponent: { kind: 'open' }, seat: 0 } })).body.game.id as string;
    const topic = `game:${id}` as const;
    const live: BusEvent[] = [];
    await peer.subscribe(topic, (e) => live.push(e));
    await s.req('POST', `/api/games/${id}/join`, { token: b.token });
    await waitFor(() => live.length >= 1 && live.at(-1)!.seq === 2, 15_000, 'join published'); // generous: CI runs suites in parallel on two cores

    await redis.stop();
    let seq = 2;
    for (const [p, column] of [[a, 0], [b, 1], [a, 0], [b, 1], [a, 0]] as const) {
      const r = await s.req('POST', `/api/games/${id}/moves`, { token: p.token, body: { move: { column }, expectedSeq: seq } });
      expect(r.status).toBe(200);
      seq = r.body.game.seq;
    }
    expect(seq).toBe(7);
    await new Promise((r) => setTimeout(r, 700));
    expect(await backlog(s)).toBeGreaterThan(0);
    expect((await s.req('GET', '/health/ready')).status).toBe(503);

    await redis.start();
    await waitFor(async () => (await backlog(s)) === 0, 20_000, 'backlog drained after Redis returned');
    // The replay buffer (written atomically with each publish) holds 3..7 exactly once, in order.
    const replay = await waitFor(async () => {
      const r = await peer.replay(topic, 2).catch(() => null);
      return r && r.events.length >= 5 ? r : null;
    }, 10_000, 'replay');
    expect(replay.events.map((e) => e.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(replay.events.map((e) => e.kind)).toEqual(['move', 'move', 'move', 'move', 'move']);
    // Whatever the live subscriber got is in order with no duplicates.
    const seqs = live.map((e) => e.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
    expect((await s.req('GET', '/health/ready')).status).toBe(200);
  });
});
