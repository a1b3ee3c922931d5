import { describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.js';
import { guest, useFreshServer, waitFor } from '../helpers/server.js';

type Snap = {
  id: string; seq: number; status: string; turn: 0 | 1 | null; legalMoves: { square: string }[]; moveCount: number; rated: boolean;
  state: { cells: (0 | 1 | null)[]; discs: [number, number]; last: { seat: number; square: number | null; flipped: number[] } | null; result: unknown };
  result: { winner: number | null; reason: string; detail?: string } | null;
  clockState: { remainingMs: [number, number]; running: number | null } | null;
  ratingChanges: { seat: number; before: number; after: number }[] | null;
};
type Ev = { kind: string; data: { seat?: number; move?: { square: string }; reason?: string } };

// The shortest opening after which a side must pass: Black has no move after White's c1.
const TO_A_PASS = ['d3', 'c3', 'b3', 'b2', 'f5', 'a3', 'a1', 'c1'];

describe.each(backends())('othello API ($name)', (backend) => {
  const t = useFreshServer(backend);
  const get = async (id: string): Promise<Snap> => (await t.s.req('GET', `/api/games/${id}`)).body.game;

  it.each(['speedygibbon', 'championchimp'] as const)('plays a whole rated, timed game against %s; the result, ratings and replay follow from the board', async (agentId) => {
    const me = await guest(t.s, `oth-${agentId}`.slice(0, 24));
    const c = await t.s.req('POST', '/api/games', {
      token: me.token,
      body: { type: 'othello', opponent: { kind: 'agent', agentId }, seat: 0, rated: true, clock: { initialSeconds: 300, incrementSeconds: 3 } },
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(c.body.game).toMatchObject({ type: 'othello', status: 'active', turn: 0, clock: { initialSeconds: 300, incrementSeconds: 3 } });
    expect(c.body.game.legalMoves.map((m: { square: string }) => m.square).sort()).toEqual(['c4', 'd3', 'e6', 'f5']);
    let g: Snap = c.body.game;
    // A draw offer at the start: the monkey's own rule (its AI's acceptsDraw) declines it.
    const no = await t.s.req('POST', `/api/games/${g.id}/offers`, { token: me.token, body: { offer: 'draw', action: 'offer', expectedSeq: g.seq } });
    expect(no.status, JSON.stringify(no.body)).toBe(200);
    expect(no.body.game).toMatchObject({ status: 'active', offers: { draw: null } });
    for (;;) {
      g = await waitFor(async () => {
        const x = await get(g.id);
        return x.status === 'finished' || x.turn === 0 ? x : null;
      }, 30_000, 'my turn');
      if (g.status === 'finished') break;
      // The first legal move each turn (a pass when that is all there is).
      const r = await t.s.req('POST', `/api/games/${g.id}/moves`, { token: me.token, body: { move: g.legalMoves[0], expectedSeq: g.seq } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const [b, w] = g.state.discs;
    expect(g.result).toMatchObject({ reason: b === w ? 'draw' : 'win', winner: b > w ? 0 : w > b ? 1 : null });
    expect(g.result!.detail).toMatch(b === w ? /^equal discs/ : /^more discs \(\d+–\d+\)$/);
    expect(g.legalMoves).toEqual([]);
    expect(g.ratingChanges).toHaveLength(2);

    const ev = (await t.s.req('GET', `/api/games/${g.id}/events`)).body.events as Ev[];
    const moves = ev.filter((e) => e.kind === 'move');
    expect(moves).toHaveLength(g.moveCount);
    for (const m of moves.filter((e) => e.data.seat === 1)) expect(m.data.reason).toMatch(/\w/);
    expect(ev.at(-1)!.kind).toBe('game.over');

    const board = await t.s.req('GET', `/api/leaderboard?type=othello`);
    expect(board.status).toBe(200);
  }, 240_000);

  it('a side with no move passes with an explicit "pass" move that everyone sees; bad moves are JSON errors that change nothing', async () => {
    const black = await guest(t.s, 'oth-black');
    const white = await guest(t.s, 'oth-white');
    const c = await t.s.req('POST', '/api/games', { token: black.token, body: { type: 'othello', opponent: { kind: 'open' }, seat: 0, rated: false } });
    const id = c.body.game.id as string;
    expect((await t.s.req('POST', `/api/games/${id}/join`, { token: white.token })).status).toBe(200);

    let g = await get(id);
    const bad: [unknown, number, string, RegExp][] = [
      [{ square: 'a1' }, 422, 'illegal_move', /a1 does not outflank any disc/],
      [{ square: 'd4' }, 422, 'illegal_move', /d4 is already taken/],
      [{ square: 'pass' }, 422, 'illegal_move', /only pass when you have no legal move/],
      [{ square: 'i9' }, 400, 'validation_failed', /move/], // the move union cannot say which game's shape was meant
      [{ column: 3 }, 422, 'illegal_move', /not a othello move/],
    ];
    for (const [move, status, code, reason] of bad) {
      const r = await t.s.req('POST', `/api/games/${id}/moves`, { token: black.token, body: { move, expectedSeq: g.seq } });
      expect(r.status, JSON.stringify(move)).toBe(status);
      expect(r.body.error.code).toBe(code);
      expect(JSON.stringify(r.body.error)).toMatch(reason);
    }
    expect(await get(id)).toEqual(g);

    for (const [i, square] of TO_A_PASS.entries()) {
      const r = await t.s.req('POST', `/api/games/${id}/moves`, { token: i % 2 ? white.token : black.token, body: { move: { square }, expectedSeq: g.seq } });
      expect(r.status, `${square}: ${JSON.stringify(r.body)}`).toBe(200);
      g = r.body.game;
    }
    expect(g.turn).toBe(0);
    expect(g.legalMoves).toEqual([{ square: 'pass' }]);
    expect(g.state.last).toMatchObject({ seat: 1, square: 2 }); // c1 = row 1, column c
    const stuck = await t.s.req('POST', `/api/games/${id}/moves`, { token: black.token, body: { move: { square: 'h8' }, expectedSeq: g.seq } });
    expect(stuck.status).toBe(422);
    const pass = await t.s.req('POST', `/api/games/${id}/moves`, { token: black.token, body: { move: { square: 'pass' }, expectedSeq: g.seq } });
    expect(pass.status).toBe(200);
    expect(pass.body.game).toMatchObject({ turn: 1, status: 'active', moveCount: 9, state: { last: { seat: 0, square: null, flipped: [] } } });
    const ev = (await t.s.req('GET', `/api/games/${id}/events`)).body.events as Ev[];
    expect(ev.filter((e) => e.kind === 'move').map((e) => e.data.move?.square)).toEqual([...TO_A_PASS, 'pass']);
    // Othello has no record format of its own (the engine's record hook is null).
    const pgn = await t.s.req('GET', `/api/games/${id}/pgn`);
    expect(pgn.status).toBe(422);
    expect(pgn.body.error.code).toBe('not_supported');
  });
});
