import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '@monkeytown/shared';
import { createBus, type Bus } from '../../src/bus/index.js';
import { RedisServer } from '@monkeytown/test-support';
import { uniquePrefix } from '../helpers/redis.js';
import { backends, type TestDb } from '../helpers/db.js';
import { guest, startTestServer, waitFor, type TestServer } from '../helpers/server.js';

const unpublished = async (db: TestDb['db']) =>
  (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0]!.n;

/**
 * The committing replica publishes its own events straight after COMMIT; the outbox
 * relay sweeps only leftovers. Here a replica "dies" between COMMIT and publish: its
 * direct publish never reaches Redis and its relay is stopped (what a SIGKILL leaves
 * behind: committed rows, nothing published, nothing marked). The other replica's next
 * move of the same game must not overtake the lost event (the bus refuses a seq with a
 * gap before it), and its relay's sweep publishes both, in order, once each.
 */
describe.each(backends())('a replica lost between COMMIT and publish ($name)', (backend) => {
  let tdb: TestDb;
  let redis: RedisServer;
  let dying: TestServer;
  let survivor: TestServer;
  let peer: Bus;
  let survivorBus: Bus;
  const keyPrefix = uniquePrefix('crash');
  beforeAll(async () => {
    tdb = await backend.create();
    redis = await RedisServer.start();
    const real = createBus({ redisUrl: redis.url, keyPrefix, commandTimeoutMs: 500 });
    // Everything of the real bus, except that this replica's direct publish dies with it.
    const crashing: Bus = Object.assign(Object.create(real) as Bus, {
      publish: async () => {
        throw new Error('process killed after COMMIT');
      },
    });
    const env = { OUTBOX_SWEEP_GRACE_MS: '1500' };
    dying = await startTestServer(tdb.db, { bus: crashing, env });
    await dying.relay.stop(); // a dead process sweeps nothing
    survivorBus = createBus({ redisUrl: redis.url, keyPrefix, commandTimeoutMs: 500 });
    survivor = await startTestServer(
      backend.name === 'postgres' ? (await import('../../src/db/pg.js')).createPgDb(tdb.url!) : tdb.db,
      { bus: survivorBus, env },
    );
    peer = createBus({ redisUrl: redis.url, keyPrefix, commandTimeoutMs: 500 });
  });
  afterAll(async () => {
    await survivor?.close();
    if (backend.name === 'postgres') await survivor?.ctx.db.close();
    await survivorBus?.close();
    await dying?.close();
    await dying?.bus.close();
    await peer?.close();
    await redis?.dispose();
    await tdb?.drop();
  });

  it('loses no event: the sweep publishes the lost one and the later one in order, once each', async () => {
    const a = await guest(survivor, 'A');
    const b = await guest(survivor, 'B');
    const id = (await survivor.req('POST', '/api/games', { token: a.token, body: { type: 'connect4', opponent: { kind: 'open' }, seat: 0 } })).body.game.id as string;
    const topic = `game:${id}` as const;
    const seen: BusEvent[] = [];
    await peer.subscribe(topic, (e) => seen.push(e));
    expect((await survivor.req('POST', `/api/games/${id}/join`, { token: b.token })).status).toBe(200);
    await waitFor(() => seen.some((e) => e.seq === 2), 5000, 'join published directly');

    // seq 3 commits on the dying replica; its publish never happens.
    const lost = await dying.req('POST', `/api/games/${id}/moves`, { token: a.token, body: { move: { column: 0 }, expectedSeq: 2 } });
    expect(lost.status).toBe(200);
    // seq 4 on the survivor: committed, but not published ahead of 3.
    const next = await survivor.req('POST', `/api/games/${id}/moves`, { token: b.token, body: { move: { column: 1 }, expectedSeq: 3 } });
    expect(next.status).toBe(200);
    expect(next.body.seq).toBe(4);
    // Published straight away, 4 would have made the bus drop 3 for good: it never overtakes 3
    // (on a slow machine the sweep may already have published 3, and then 4 may go out directly).
    const early = seen.map((e) => e.seq);
    if (early.includes(4)) expect(early.indexOf(3)).toBeGreaterThan(-1);

    await waitFor(async () => (await unpublished(tdb.db)) === 0, 15_000, 'the sweep published the leftovers');
    await waitFor(() => seen.length >= 3, 5000, 'events 3 and 4 delivered');
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(seen.map((e) => e.kind)).toEqual(['player.joined', 'move', 'move']);
    const replay = await peer.replay(topic, 0);
    expect(replay.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });
});
