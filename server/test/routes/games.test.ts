import { describe, expect, it } from 'vitest';
import { AgentId } from '@monkeytown/shared';
import { backends } from '../helpers/db.js';
import { guest, useFreshServer, waitFor } from '../helpers/server.js';
import { useOutboxLog } from '../helpers/outbox-log.js';

type Snap = { id: string; seq: number; status: string; turn: 0 | 1 | null; legalMoves: unknown[]; players: { seat: number; playerId: string }[]; result: { winner: number | null; reason: string } | null; moveCount: number };

describe.each(backends())('games API ($name)', (backend) => {
  const t = useFreshServer(backend);
  useOutboxLog(() => t.tdb.db);

  const get = async (id: string): Promise<Snap> => (await t.s.req('GET', `/api/games/${id}`)).body.game;

  /** Plays `mySeat` with its first legal move whenever it is our turn, until the game ends. */
  async function playToEnd(id: string, token: string, mySeat: 0 | 1): Promise<Snap> {
    for (let i = 0; i < 60; i++) {
      const g = await waitFor(async () => {
        const x = await get(id);
        return x.status === 'finished' || x.turn === mySeat ? x : null;
      }, 15_000, 'my turn');
      if (g.status === 'finished') return g;
      const r = await t.s.req('POST', `/api/games/${id}/moves`, { token, body: { move: g.legalMoves[0], expectedSeq: g.seq } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    throw new Error('game did not end');
  }

  it.each(AgentId.options)('plays a full tic-tac-toe game against %s', async (agentId) => {
    const me = await guest(t.s, `vs-${agentId}`.slice(0, 24));
    const c = await t.s.req('POST', '/api/games', { token: me.token, body: { type: 'tictactoe', opponent: { kind: 'agent', agentId }, seat: 1 } });
    expect(c.status).toBe(201);
    expect(c.body.game).toMatchObject({ status: 'active', type: 'tictactoe', seq: 1, agentThinking: true });
    const end = await playToEnd(c.body.game.id, me.token, 1);
    expect(end.result).not.toBeNull();
    expect(end.legalMoves).toEqual([]);
    const ev = (await t.s.req('GET', `/api/games/${end.id}/events`)).body.events as { seq: number; kind: string; data: any }[];
    expect(ev.map((e) => e.seq)).toEqual(ev.map((_, i) => i + 1));
    expect(ev.at(-1)!.kind).toBe('game.over');
    const agentMoves = ev.filter((e) => e.kind === 'move' && e.data.seat === 0);
    expect(agentMoves.length).toBeGreaterThan(0);
    for (const m of agentMoves) expect(typeof m.data.reason).toBe('string');
    expect(ev.filter((e) => e.kind === 'agent.thinking').length).toBe(agentMoves.length);
    // Rated: both players' ratings moved.
    const over = ev.at(-1)!.data;
    expect(over.ratings).toHaveLength(2);
  });

  it('plays connect four against ChampionChimp to the end', async () => {
    const me = await guest(t.s, 'c4');
    const c = await t.s.req('POST', '/api/games', { token: me.token, body: { type: 'connect4', opponent: { kind: 'agent', agentId: 'championchimp' }, seat: 0 } });
    expect(c.status).toBe(201);
    const end = await playToEnd(c.body.game.id, me.token, 0);
    expect(end.status).toBe('finished');
    expect(end.result?.winner).toBe(1); // always dropping in column 0 loses to the champion
  });

  it('two guests play each other through an open game; lobby and profiles show it', async () => {
    const a = await guest(t.s, 'Alice');
    const b = await guest(t.s, 'Bob');
    const c = await t.s.req('POST', '/api/games', { token: a.token, body: { type: 'tictactoe', opponent: { kind: 'open' }, seat: 0, rated: false } });
    expect(c.status).toBe(201);
    const id = c.body.game.id;
    expect(c.body.game.status).toBe('open');
    const open = await t.s.req('GET', '/api/games?status=open&type=tictactoe');
    expect(open.body.games.map((g: Snap) => g.id)).toContain(id);
    // Moving before anyone joined: not started.
    expect((await t.s.req('POST', `/api/games/${id}/moves`, { token: a.token, body: { move: { cell: 4 }, expectedSeq: 1 } })).status).toBe(409);
    expect((await t.s.req('POST', `/api/games/${id}/join`, { token: a.token })).status).toBe(409);
    const j = await t.s.req('POST', `/api/games/${id}/join`, { token: b.token });
    expect(j.status).toBe(200);
    expect(j.body.game).toMatchObject({ status: 'active', seq: 2, turn: 0 });
    const c3 = await guest(t.s, 'Carol');
    const full = await t.s.req('POST', `/api/games/${id}/join`, { token: c3.token });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('game_full');
    // X: 0,1,2 wins; O: 3,4
    const plan: [typeof a, number][] = [[a, 0], [b, 3], [a, 1], [b, 4], [a, 2]];
    let seq = 2;
    for (const [p, cell] of plan) {
      const r = await t.s.req('POST', `/api/games/${id}/moves`, { token: p.token, body: { move: { cell }, expectedSeq: seq } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      seq = r.body.game.seq;
    }
    const g = await get(id);
    expect(g.status).toBe('finished');
    expect(g.result).toMatchObject({ winner: 0, reason: 'win', line: [0, 1, 2] });
    const prof = await t.s.req('GET', `/api/players/${b.id}`);
    expect(prof.body.recentGames[0].id).toBe(id);
    const after = await t.s.req('POST', `/api/games/${id}/moves`, { token: b.token, body: { move: { cell: 5 }, expectedSeq: g.seq } });
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('game_over');
  });

  async function freshGame() {
    const a = await guest(t.s, 'P0');
    const b = await guest(t.s, 'P1');
    const c = await t.s.req('POST', '/api/games', { token: a.token, body: { type: 'tictactoe', opponent: { kind: 'open' }, seat: 0 } });
    const id = c.body.game.id as string;
    await t.s.req('POST', `/api/games/${id}/join`, { token: b.token });
    return { a, b, id };
  }

  const count = async (table: string, id: string) =>
    (await t.tdb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table === 'outbox' ? 'outbox_log' : table} WHERE ${table === 'outbox' ? "topic = 'game:' || $1" : 'game_id = $1'}`, [id])).rows[0]!.n;

  it('stale expectedSeq → 409 stale_seq and nothing written; chat does not make it stale', async () => {
    const { a, b, id } = await freshGame();
    const ok = await t.s.req('POST', `/api/games/${id}/moves`, { token: a.token, body: { move: { cell: 4 }, expectedSeq: 2 } });
    expect(ok.status).toBe(200);
    const before = [await count('moves', id), await count('events', id), await count('outbox', id)];
    const stale = await t.s.req('POST', `/api/games/${id}/moves`, { token: b.token, body: { move: { cell: 0 }, expectedSeq: 2 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'stale_seq', details: { seq: 3 } });
    const future = await t.s.req('POST', `/api/games/${id}/moves`, { token: b.token, body: { move: { cell: 0 }, expectedSeq: 99 } });
    expect(future.status).toBe(409);
    expect([await count('moves', id), await count('events', id), await count('outbox', id)]).toEqual(before);
    expect((await get(id)).seq).toBe(3);
    const chat = await t.s.req('POST', `/api/games/${id}/chat`, { token: a.token, body: { text: 'good luck 🍌' } });
    expect(chat.status).toBe(201);
    expect(chat.body.seq).toBe(4);
    const afterChat = await t.s.req('POST', `/api/games/${id}/moves`, { token: b.token, body: { move: { cell: 0 }, expectedSeq: 3 } });
    expect(afterChat.status).toBe(200);
    expect(afterChat.body.seq).toBe(5);
  });

  it('same Idempotency-Key twice → one move, same response', async () => {
    const { a, id } = await freshGame();
    const send = () => t.s.req('POST', `/api/games/${id}/moves`, { token: a.token, body: { move: { cell: 8 }, expectedSeq: 2 }, headers: { 'idempotency-key': 'k-123' } });
    const r1 = await send();
    const r2 = await send();
    expect(r1.status).toBe(200);
    expect(r2.status).toBe(200);
    expect(r2.body).toEqual(r1.body);
    expect(r2.headers['idempotent-replayed']).toBe('true');
    expect(await count('moves', id)).toBe(1);
    // Same key for a different request is refused.
    const other = await t.s.req('POST', `/api/games/${id}/resign`, { token: a.token });
    expect(other.status).toBe(200);
    const bad = await t.s.req('POST', `/api/games/${id}/moves`, { token: a.token, body: { move: { cell: 8 }, expectedSeq: 2 }, headers: { 'idempotency-key': 'bad key with spaces' } });
    expect(bad.status).toBe(400);
  });

  it('illegal move → 422 with reason; out of turn / not a player → 403', async () => {
    const { a, b, id } = await freshGame();
    await t.s.req('POST', `/api/games/${id}/moves`, { token: a.token, body: { move: { cell: 4 }, expectedSeq: 2 } });
    const taken = await t.s.req('POST', `/api/games/${id}/moves`, { token: b.token, body: { move: { cell: 4 }, expectedSeq: 3 } });
    expect(taken.status).toBe(422);
    expect(taken.body.error.code).toBe('illegal_move');
    expect(taken.body.error.details.reason).toMatch(/./);
    const wrongGame = await t.s.req('POST', `/api/games/${id}/moves`, { token: b.token, body: { move: { column: 3 }, expectedSeq: 3 } });
    expect(wrongGame.status).toBe(422);
    const outOfTurn = await t.s.req('POST', `/api/games/${id}/moves`, { token: a.token, body: { move: { cell: 0 }, expectedSeq: 3 } });
    expect(outOfTurn.status).toBe(403);
    expect(outOfTurn.body.error.code).toBe('not_your_turn');
    const stranger = await guest(t.s, 'Mallory');
    const notMine = await t.s.req('POST', `/api/games/${id}/moves`, { token: stranger.token, body: { move: { cell: 0 }, expectedSeq: 3 } });
    expect(notMine.status).toBe(403);
    expect(notMine.body.error.code).toBe('forbidden');
    expect((await t.s.req('POST', `/api/games/${id}/resign`, { token: stranger.token })).status).toBe(403);
    expect((await t.s.req('POST', `/api/games/${id}/moves`, { body: { move: { cell: 0 }, expectedSeq: 3 } })).status).toBe(401);
    expect(await count('moves', id)).toBe(1);
  });

  it('resign ends the game with the other seat winning; a type that is not a game is a 400', async () => {
    const { a, b, id } = await freshGame();
    const r = await t.s.req('POST', `/api/games/${id}/resign`, { token: b.token });
    expect(r.status).toBe(200);
    expect(r.body.game.result).toEqual({ winner: 0, reason: 'resign' });
    expect((await t.s.req('POST', `/api/games/${id}/resign`, { token: a.token })).status).toBe(409);
    // GameType is derived from the list of games: a type in the API is playable, or it does not exist.
    const go = await t.s.req('POST', '/api/games', { token: a.token, body: { type: 'go', opponent: { kind: 'open' } } });
    expect(go.status).toBe(400);
    expect(go.body.error.code).toBe('validation_failed');
  });

  it('lobby pages with an opaque cursor, no duplicates, newest first', async () => {
    const p = await guest(t.s, 'Pager');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await t.s.req('POST', '/api/games', { token: p.token, body: { type: 'connect4', opponent: { kind: 'open' } } })).body.game.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await t.s.req('GET', `/api/games?type=connect4&status=open&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.games.length).toBeLessThanOrEqual(2);
      seen.push(...r.body.games.map((g: Snap) => g.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen.slice(0, 5)).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    expect((await t.s.req('GET', '/api/games?cursor=garbage')).status).toBe(400);
    expect((await t.s.req('GET', '/api/games?limit=1000')).status).toBe(400);
    expect((await t.s.req('GET', '/api/games?status=weird')).status).toBe(400);
    expect((await t.s.req('GET', '/api/games?foo=1')).status).toBe(400);
  });

  it('events after a sequence number; 404 for an unknown game', async () => {
    const { a, id } = await freshGame();
    await t.s.req('POST', `/api/games/${id}/moves`, { token: a.token, body: { move: { cell: 0 }, expectedSeq: 2 } });
    const r = await t.s.req('GET', `/api/games/${id}/events?after=1`);
    expect(r.body.events.map((e: { seq: number; kind: string }) => [e.seq, e.kind])).toEqual([[2, 'player.joined'], [3, 'move']]);
    expect((await t.s.req('GET', '/api/games/00000000-0000-4000-8000-000000000000/events')).status).toBe(404);
    expect((await t.s.req('GET', '/api/games/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await t.s.req('GET', `/api/games/${id}/events?after=-1`)).status).toBe(400);
  });
});
