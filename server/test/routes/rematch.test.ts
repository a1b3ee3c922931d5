import { afterAll, describe, expect, it, vi } from 'vitest';
import { createMemoryBus } from '../../src/bus/index.js';
import { backends } from '../helpers/db.js';
import { useReplicas } from '../helpers/replicas.js';
import { guest, waitFor, type TestServer } from '../helpers/server.js';

// Several requests and agent turns per test: generous on a loaded shared machine.
vi.setConfig({ testTimeout: 90_000 });

type Player = { id: string; token: string };

describe.each(backends())('rematch ($name)', (backend) => {
  // Two game-server replicas on one database and one bus, as in production. The bus's
  // afterAll is registered first, so it runs after the replicas have closed.
  const bus = createMemoryBus();
  afterAll(async () => {
    await bus.close();
  });
  const t = useReplicas(backend, { bus });

  const get = async (id: string) => (await t.s1.req('GET', `/api/games/${id}`)).body.game;
  const rematch = (s: TestServer, id: string, p: Player, action: string, seq: number) =>
    s.req('POST', `/api/games/${id}/offers`, { token: p.token, body: { offer: 'rematch', action, expectedSeq: seq } });

  /** A finished game between two guests (A in seat 0 resigns at once), with a clock. */
  async function finished(): Promise<{ id: string; seq: number; a: Player; b: Player }> {
    const a = await guest(t.s1, 'Ann');
    const b = await guest(t.s1, 'Ben');
    const c = await t.s1.req('POST', '/api/games', {
      token: a.token, body: { type: 'connect4', opponent: { kind: 'open' }, seat: 0, rated: false, clock: { initialSeconds: 180, incrementSeconds: 2 } },
    });
    const id = c.body.game.id as string;
    await t.s1.req('POST', `/api/games/${id}/join`, { token: b.token });
    const r = await t.s1.req('POST', `/api/games/${id}/resign`, { token: a.token });
    expect(r.body.game.status).toBe('finished');
    return { id, seq: r.body.game.seq, a, b };
  }

  const gamesBetween = async (p0: string, p1: string) =>
    (await t.tdb.db.query<{ id: string }>('SELECT id FROM games WHERE player0_id = $1 AND player1_id = $2', [p0, p1])).rows;

  it('offer, then accept: one new game, colours swapped, same type/clock/rated; the old game names it', async () => {
    const { id, seq, a, b } = await finished();
    const o = await rematch(t.s1, id, a, 'offer', seq);
    expect(o.status, JSON.stringify(o.body)).toBe(200);
    expect(o.body.game.offers.rematch).toBe(0);
    expect(o.body.rematch).toBeUndefined();
    const acc = await rematch(t.s2, id, b, 'accept', o.body.game.seq);
    expect(acc.status, JSON.stringify(acc.body)).toBe(200);
    const next = acc.body.rematch;
    expect(next).toMatchObject({ type: 'connect4', status: 'active', rated: false, clock: { initialSeconds: 180, incrementSeconds: 2 } });
    expect(next.players.map((p: { seat: number; playerId: string }) => [p.seat, p.playerId])).toEqual([[0, b.id], [1, a.id]]);
    expect(acc.body.game).toMatchObject({ rematchId: next.id, offers: { rematch: null } });
    expect((await get(id)).rematchId).toBe(next.id);
    const ev = (await t.s1.req('GET', `/api/games/${id}/events`)).body.events as { kind: string; data: any }[];
    expect(ev.at(-1)).toMatchObject({ kind: 'rematch', data: { gameId: next.id } });
    // A decline of an offer that is gone, or a second accept, makes nothing new.
    expect((await rematch(t.s1, id, a, 'accept', acc.body.game.seq)).body.rematch.id).toBe(next.id);
    expect(await gamesBetween(b.id, a.id)).toHaveLength(1);
  });

  it('a declined rematch makes no game; a cancelled one is gone', async () => {
    const { id, seq, a, b } = await finished();
    const o = await rematch(t.s1, id, a, 'offer', seq);
    const d = await rematch(t.s2, id, b, 'decline', o.body.game.seq);
    expect(d.body.game.offers.rematch).toBeNull();
    const o2 = await rematch(t.s1, id, b, 'offer', d.body.game.seq);
    const c = await rematch(t.s1, id, b, 'cancel', o2.body.game.seq);
    expect(c.body.game.offers.rematch).toBeNull();
    expect((await rematch(t.s1, id, a, 'accept', c.body.game.seq)).body.error.code).toBe('no_offer');
    expect(await gamesBetween(b.id, a.id)).toHaveLength(0);
  });

  it('both players pressing rematch at once, on two replicas, make exactly ONE game', async () => {
    for (let round = 0; round < 4; round++) {
      const { id, seq, a, b } = await finished();
      const [ra, rb] = await Promise.all([rematch(t.s1, id, a, 'offer', seq), rematch(t.s2, id, b, 'offer', seq)]);
      expect(ra.status, JSON.stringify(ra.body)).toBe(200);
      expect(rb.status, JSON.stringify(rb.body)).toBe(200);
      const made = [ra.body.rematch?.id, rb.body.rematch?.id].filter(Boolean);
      expect(made.length).toBeGreaterThanOrEqual(1);
      expect(new Set(made).size).toBe(1);
      expect(await gamesBetween(b.id, a.id)).toHaveLength(1);
      expect(await gamesBetween(a.id, b.id)).toHaveLength(1); // the old one
      expect((await get(id)).rematchId).toBe(made[0]);
    }
  });

  it('against an agent the rematch starts at once, and the agent plays its first move', async () => {
    const me = await guest(t.s1, 'Solo');
    const c = await t.s1.req('POST', '/api/games', { token: me.token, body: { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'speedygibbon' }, seat: 0 } });
    const r = await t.s1.req('POST', `/api/games/${c.body.game.id}/resign`, { token: me.token });
    const o = await rematch(t.s1, c.body.game.id, me, 'offer', r.body.game.seq);
    expect(o.status, JSON.stringify(o.body)).toBe(200);
    const next = o.body.rematch;
    expect(next.players.find((p: { playerId: string }) => p.playerId === me.id).seat).toBe(1);
    expect(next.players.find((p: { kind: string }) => p.kind === 'agent')).toMatchObject({ seat: 0, agentId: 'speedygibbon' });
    // Generous: the first search of a replica starts its worker threads (slow on a loaded machine).
    await waitFor(async () => (await get(next.id)).moveCount === 1, 30_000, 'the agent opens the rematch');
    // A rematch is not offered on a live game.
    expect((await rematch(t.s1, next.id, me, 'offer', (await get(next.id)).seq)).body.error.code).toBe('conflict');
  }, 60_000);
});
