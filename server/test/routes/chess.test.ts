import { describe, expect, it } from 'vitest';
import { Chess } from 'chess.js';
import { AgentId } from '@monkeytown/shared';
import { backends } from '../helpers/db.js';
import { guest, useFreshServer, waitFor } from '../helpers/server.js';

type Snap = {
  id: string; seq: number; status: string; turn: 0 | 1 | null; legalMoves: { uci: string }[]; moveCount: number;
  state: { fen: string; san: string[]; uci: string[]; result: { winner: number | null; ending: string } | null };
  result: { winner: number | null; reason: string } | null;
};

// The person resigns after this many of their own moves if the agent has not ended the game:
// every game still ends (mate, a draw rule or resignation) and the suite stays fast.
const MAX_OWN_MOVES = 15;

describe.each(backends())('chess API ($name)', (backend) => {
  const t = useFreshServer(backend);

  const get = async (id: string): Promise<Snap> => (await t.s.req('GET', `/api/games/${id}`)).body.game;

  /** Plays `mySeat` (the last legal move each turn: often a poor one) until the game ends. */
  async function playToEnd(id: string, token: string, mySeat: 0 | 1): Promise<Snap> {
    for (let i = 0; ; i++) {
      const g = await waitFor(async () => {
        const x = await get(id);
        return x.status === 'finished' || x.turn === mySeat ? x : null;
      }, 30_000, 'my turn');
      if (g.status === 'finished') return g;
      if (i === MAX_OWN_MOVES) {
        const r = await t.s.req('POST', `/api/games/${id}/resign`, { token });
        expect(r.status).toBe(200);
        return r.body.game;
      }
      const r = await t.s.req('POST', `/api/games/${id}/moves`, { token, body: { move: g.legalMoves.at(-1), expectedSeq: g.seq } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
  }

  it.each(AgentId.options)('plays a chess game against %s to its end; the PGN reads back to the final position', async (agentId) => {
    const me = await guest(t.s, `chess-${agentId}`.slice(0, 24));
    const c = await t.s.req('POST', '/api/games', { token: me.token, body: { type: 'chess', opponent: { kind: 'agent', agentId }, seat: 1 } });
    expect(c.status).toBe(201);
    expect(c.body.game).toMatchObject({ status: 'active', type: 'chess', turn: 0, agentThinking: true });
    const end = await playToEnd(c.body.game.id, me.token, 1);
    expect(end.status).toBe('finished');
    expect(end.result).not.toBeNull();
    expect(end.legalMoves).toEqual([]);
    if (end.result!.reason !== 'resign') expect(end.state.result).not.toBeNull(); // mate or a draw rule

    const ev = (await t.s.req('GET', `/api/games/${end.id}/events`)).body.events as { kind: string; data: { seat: number; reason?: string } }[];
    const agentMoves = ev.filter((e) => e.kind === 'move' && e.data.seat === 0);
    expect(agentMoves.length).toBeGreaterThan(0);
    for (const m of agentMoves) expect(m.data.reason).toMatch(/\w/);
    expect(ev.at(-1)!.kind).toBe('game.over');

    const pgn = await t.s.req('GET', `/api/games/${end.id}/pgn`);
    expect(pgn.status).toBe(200);
    expect(pgn.headers['content-type']).toMatch(/^application\/x-chess-pgn/);
    expect(pgn.headers['content-disposition']).toBe(`attachment; filename="monkeytown-${end.id}.pgn"`);
    const back = new Chess();
    back.loadPgn(pgn.body as string);
    expect(back.fen()).toBe(end.state.fen);
    expect(back.history()).toEqual(end.state.san);
    const tag = end.result!.winner === null ? '1/2-1/2' : end.result!.winner === 0 ? '1-0' : '0-1';
    expect(pgn.body).toContain(`[Result "${tag}"]`);
  }, 180_000);

  it('an illegal chess move is a 422 with the reason, and changes nothing', async () => {
    const me = await guest(t.s, 'chess-illegal');
    const c = await t.s.req('POST', '/api/games', { token: me.token, body: { type: 'chess', opponent: { kind: 'open' }, seat: 0 } });
    const id = c.body.game.id as string;
    const other = await guest(t.s, 'chess-other');
    expect((await t.s.req('POST', `/api/games/${id}/join`, { token: other.token })).status).toBe(200);
    const g = await get(id);
    expect(g.legalMoves).toHaveLength(20);
    const cases: [unknown, number, RegExp][] = [
      [{ uci: 'e2e5' }, 422, /e2-e5 is not a legal move/],
      [{ uci: 'e7e5' }, 422, /the piece on e7 is not yours/],
      [{ uci: 'e2e4q' }, 422, /not a promotion/],
      [{ uci: 'castle' }, 400, /UCI/],
      [{ column: 3 }, 422, /not a chess move/],
    ];
    for (const [move, status, reason] of cases) {
      const r = await t.s.req('POST', `/api/games/${id}/moves`, { token: me.token, body: { move, expectedSeq: g.seq } });
      expect(r.status, JSON.stringify(move)).toBe(status);
      expect(r.body.error.message).toMatch(reason);
      if (status === 422 && r.body.error.code === 'illegal_move') expect(r.body.error.details.reason).toMatch(reason);
    }
    const after = await get(id);
    expect(after.seq).toBe(g.seq);
    expect(after.state.fen).toBe(g.state.fen);
    // Moves are UCI, promotion included; the move list is SAN.
    const ok = await t.s.req('POST', `/api/games/${id}/moves`, { token: me.token, body: { move: { uci: 'e2e4' }, expectedSeq: g.seq } });
    expect(ok.status).toBe(200);
    expect(ok.body.game.state.san).toEqual(['e4']);
    // Resigning scores the PGN from the result, not the board.
    await t.s.req('POST', `/api/games/${id}/resign`, { token: other.token });
    const pgn = await t.s.req('GET', `/api/games/${id}/pgn`);
    expect(pgn.body).toContain('[Result "1-0"]');
    expect(pgn.body).toContain('[White "chess-illegal"]');
  });

  it('PGN is for chess games only; an unknown game is a 404', async () => {
    const me = await guest(t.s, 'pgn-ttt');
    const c = await t.s.req('POST', '/api/games', { token: me.token, body: { type: 'tictactoe', opponent: { kind: 'open' } } });
    const r = await t.s.req('GET', `/api/games/${c.body.game.id}/pgn`);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('not_supported');
    expect((await t.s.req('GET', '/api/games/00000000-0000-4000-8000-000000000000/pgn')).status).toBe(404);
  });
});
