import { describe, expect, it } from 'vitest';
import type { BusEvent } from '@monkeytown/shared';
import { backends } from '../helpers/db.js';
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
    const lobby = bus.events.filter((e) => e.topic === 'lobby').map((e) => e.seq);
    expect(lobby).toEqual([...lobby].sort((x, y) => x - y));
    expect(new Set(lobby).size).toBe(lobby.length);
  });

  it('two relays on one database never publish a row twice', async () => {
    const bus2 = new RecordingBus();
    const s2 = await startTestServer(t.tdb.db, { bus: bus2 });
    try {
      const a = await guest(t.s, 'A2');
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const srv = i % 2 ? t.s : s2;
        ids.push((await srv.req('POST', '/api/games', { token: a.token, body: { type: 'tictactoe', opponent: { kind: 'open' } } })).body.game.id);
        await srv.req('POST', `/api/games/${ids[i]}/chat`, { token: a.token, body: { text: `hello ${i}` } });
      }
      await waitFor(async () => (await backlog(t.s)) === 0, 10_000, 'backlog drained');
      const all = [...bus.events, ...bus2.events];
      for (const id of ids) expect(gameSeqs(all, id).sort()).toEqual([1, 2]);
    } finally {
      await s2.close();
    }
  });
});
