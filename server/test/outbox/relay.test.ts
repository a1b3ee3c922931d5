import { describe, expect, it } from 'vitest';
import type { BusEvent } from '@monkeytown/shared';
import { backends } from '../helpers/db.js';
import { lobbyVersion } from '../../src/bus/types.js';
import { guest, RecordingBus, startTestServer, useFreshServer, waitFor, type TestServer } from '../helpers/server.js';

const backlog = async (s: TestServer) =>
  (await s.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0]!.n;

function gameSeqs(events: BusEvent[], gameId: string): number[] {
  return events.filter((e) => e.topic === `game:${gameId}`).map((e) => e.seq);
}

describe.each(backends())('outbox relay ($name)', (backend) => {
  const bus = new RecordingBus();
  // The committing process publishes at once; the relay sweeps what it could not after
  // the grace period, shortened here so the relay's retries are seen within the test.
  const t = useFreshServer(backend, { bus, env: { OUTBOX_SWEEP_GRACE_MS: '100' } });

  it('moves commit while the bus is down; afterwards every event is published in order, once', async () => {
    const a = await guest(t.s, 'A');
    const b = await guest(t.s, 'B');
    const id = (await t.s.req('POST', '/api/games', { token: a.token, body: { type: 'connect4', opponent: { kind: 'open' }, seat: 0 } })).body.game.id as string;
    await t.s.req('POST', `/api/games/${id}/join`, { token: b.token });
    await waitFor(async () => (await backlog(t.s)) === 0, 5000, 'initial publish');
    expect(gameSeqs(bus.events, id)).toEqual([1, 2]);

    bus.failing = true;
    let seq = 2;
    for (const [p, column] of [[a, 0], [b, 1], [a, 0], [b, 1]] as const) {
      const r = await t.s.req('POST', `/api/games/${id}/moves`, { token: p.token, body: { move: { column }, expectedSeq: seq } });
      expect(r.status).toBe(200);
      seq = r.body.game.seq;
    }
    expect((await t.s.req('POST', `/api/games/${id}/chat`, { token: a.token, body: { text: 'is the bus down?' } })).status).toBe(201);
    // Let the relay fail a few passes.
    await new Promise((r) => setTimeout(r, 300));
    expect(gameSeqs(bus.events, id)).toEqual([1, 2]);
    expect(await backlog(t.s)).toBeGreaterThan(0);
    const metrics = (await t.s.req('GET', '/metrics')).body as string;
    expect(metrics).toMatch(/monkeytown_outbox_backlog [1-9]/);
    expect(metrics).toMatch(/monkeytown_outbox_publish_failures_total [1-9]/);

    bus.failing = false;
    await waitFor(async () => (await backlog(t.s)) === 0, 10_000, 'backlog drained');
    expect(gameSeqs(bus.events, id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(bus.events.filter((e) => e.topic === `game:${id}`).map((e) => e.kind)).toEqual([
      'game.created', 'player.joined', 'move', 'move', 'move', 'move', 'chat',
    ]);
    // The relay's events carry their whole data (read from events: the outbox row of a
    // game event has none), exactly as the committing process would have sent them.
    const { rows: stored } = await t.s.ctx.db.query<{ seq: number; data: unknown }>(
      'SELECT seq, data FROM events WHERE game_id = $1 ORDER BY seq', [id]);
    expect(JSON.parse(JSON.stringify(bus.events.filter((e) => e.topic === `game:${id}`).map((e) => ({ seq: e.seq, data: e.data })))))
      .toEqual(stored);
    expect(stored.slice(2).every((e) => e.data !== null && typeof e.data === 'object')).toBe(true);
    // The lobby: contiguous seqs, and never an older state of the game after a newer one.
    const lobby = bus.events.filter((e) => e.topic === 'lobby');
    expect(lobby.map((e) => e.seq - lobby[0]!.seq)).toEqual(lobby.map((_, i) => i));
    const versions = lobby.map((e) => lobbyVersion(e)).filter((v) => v?.gameId === id).map((v) => v!.seq);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
  });

  // Two replicas share one bus, as they share one Redis: whichever of the committing
  // replica and either relay hands an event in, it goes out once.
  it('two replicas (two relays) on one database and one bus never put an event out twice', async () => {
    const s2 = await startTestServer(t.tdb.db, { bus });
    try {
      const a = await guest(t.s, 'A2');
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const srv = i % 2 ? t.s : s2;
        ids.push((await srv.req('POST', '/api/games', { token: a.token, body: { type: 'tictactoe', opponent: { kind: 'open' } } })).body.game.id);
        await srv.req('POST', `/api/games/${ids[i]}/chat`, { token: a.token, body: { text: `hello ${i}` } });
      }
      await waitFor(async () => (await backlog(t.s)) === 0, 10_000, 'backlog drained');
      for (const id of ids) expect(gameSeqs(bus.events, id)).toEqual([1, 2]);
    } finally {
      await s2.close();
    }
  });
});
