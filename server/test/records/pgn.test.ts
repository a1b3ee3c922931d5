import { describe, expect, it } from 'vitest';
import { Chess } from 'chess.js';
import { parseGame } from '@mliebelt/pgn-parser';
import type { ClockState, RatingChange } from '@monkeytown/shared';
import { backends, pgliteBackend } from '../helpers/db.js';
import { guest, useFreshServer, waitFor } from '../helpers/server.js';

type Snap = {
  id: string; seq: number; status: string; turn: 0 | 1 | null; legalMoves: { uci: string }[]; moveCount: number;
  state: { fen: string; san: string[] }; players: { seat: number; name: string; rating: number }[];
  result: { winner: number | null; reason: string } | null; ratingChanges: RatingChange[] | null; createdAt: string;
};

/**
 * Issue 26, acceptance 5: the record of a game lost on time is complete — a 1+0 game
 * against a monkey, the person's flag falls, and the PGN two independent parsers read
 * says how (TimeControl, Termination agreeing with the Result), who at what rating,
 * when, where to see it again, and why the monkey played each move.
 */
describe.each(backends())('PGN of a game lost on time ($name)', (backend) => {
  const t = useFreshServer(backend, { env: { FLAG_SWEEP_MS: '200', PUBLIC_URL: 'https://monkeytown.example/' } });
  const get = async (id: string): Promise<Snap> => (await t.s.req('GET', `/api/games/${id}`)).body.game;

  it('1+0 against a monkey, lost on time: TimeControl, Termination, Elos, UTC start, link and the reasons as comments', async () => {
    const me = await guest(t.s, 'Flagger');
    const c = await t.s.req('POST', '/api/games', {
      token: me.token,
      body: { type: 'chess', opponent: { kind: 'agent', agentId: 'championchimp' }, seat: 1, clock: { initialSeconds: 60, incrementSeconds: 0 } },
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const id = c.body.game.id as string;
    // Three moves each (the monkey opens as White), then Black lets the clock run out.
    let g: Snap;
    for (let mine = 0; ; mine++) {
      g = await waitFor(async () => { const x = await get(id); return x.turn === 1 ? x : null; }, 30_000, 'my turn');
      if (mine === 3) break;
      const r = await t.s.req('POST', `/api/games/${id}/moves`, { token: me.token, body: { move: g.legalMoves[0], expectedSeq: g.seq } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    // A minute's wait, shortened: Black's clock is made to have run out just now, and the
    // deadline with it; the server's flag sweep (200 ms here) ends the game as it would.
    const { clock_state: clock } = (await t.tdb.db.query<{ clock_state: ClockState }>('SELECT clock_state FROM games WHERE id = $1', [id])).rows[0]!;
    expect(clock.running).toBe(1);
    const now = new Date();
    await t.tdb.db.query('UPDATE games SET clock_state = $2, flag_at = $3 WHERE id = $1',
      [id, JSON.stringify({ ...clock, remainingMs: [clock.remainingMs[0], 0], at: now.toISOString() }), now]);
    const end = await waitFor(async () => { const x = await get(id); return x.status === 'finished' ? x : null; }, 10_000, 'the flag');
    expect(end.result).toEqual({ winner: 0, reason: 'timeout' });
    expect(end.ratingChanges).toHaveLength(2); // rated: the Elos are the ratings the game started with

    const res = await t.s.req('GET', `/api/games/${id}/pgn`);
    expect(res.status).toBe(200);
    const pgn = res.body as string;

    // chess.js: the headers, and the movetext replays to the final position.
    const replay = new Chess();
    replay.loadPgn(pgn);
    expect(replay.fen()).toBe(end.state.fen);
    const before = (seat: number) => String(end.ratingChanges!.find((r) => r.seat === seat)!.before);
    const start = new Date(end.createdAt);
    expect(replay.getHeaders()).toMatchObject({
      White: end.players.find((p) => p.seat === 0)!.name,
      Black: 'Flagger',
      Result: '1-0',
      TimeControl: '60+0',
      Termination: 'time forfeit',
      WhiteElo: before(0),
      BlackElo: before(1),
      UTCDate: start.toISOString().slice(0, 10).replaceAll('-', '.'),
      UTCTime: start.toISOString().slice(11, 19),
      Site: `https://monkeytown.example/games/${id}`,
    });
    // The monkey's reasons, after its own moves (plies 1, 3, 5, 7: White's), nowhere else.
    const reasons = (await t.tdb.db.query<{ move_number: number; reason: string | null }>(
      'SELECT move_number, reason FROM moves WHERE game_id = $1 ORDER BY move_number', [id])).rows;
    expect(reasons.filter((r) => r.reason).map((r) => r.move_number)).toEqual([1, 3, 5, 7]);
    const history = replay.history({ verbose: true });
    const comments = new Map(replay.getComments().map((x) => [x.fen, x.comment]));
    history.forEach((m, ply) => {
      const reason = reasons[ply]!.reason;
      expect(comments.get(m.after), `ply ${ply + 1}`).toBe(reason ? reason.replace(/\s+/g, ' ').trim() : undefined);
    });

    // A second, independent parser (a PEG grammar of the PGN standard) reads the same.
    const tree = parseGame(pgn);
    expect(tree.tags?.Result).toBe('1-0');
    expect(tree.tags?.Termination).toBe('time forfeit');
    // Its types say one TimeControl; it returns the list of periods with the tag's value on it.
    const periods = tree.tags?.TimeControl as unknown as { kind: string; seconds: number; increment: number }[] & { value: string };
    expect(periods.value).toBe('60+0');
    expect(periods[0]).toMatchObject({ kind: 'increment', seconds: 60, increment: 0 });
    expect(String(tree.tags?.WhiteElo)).toBe(before(0));
    expect(String(tree.tags?.BlackElo)).toBe(before(1));
    expect(tree.moves.map((m) => m.notation.notation)).toEqual(end.state.san.map((s) => s.replace(/[+#]$/, '')));
    expect(tree.moves.filter((m) => m.commentAfter).map((m) => m.turn)).toEqual(['w', 'w', 'w', 'w']);
  });

  it('a game still waiting for its opponent: untimed, unterminated, "*", the empty seat unknown', async () => {
    const me = await guest(t.s, 'Waiting');
    const c = await t.s.req('POST', '/api/games', { token: me.token, body: { type: 'chess', opponent: { kind: 'open' }, seat: 0, rated: false } });
    expect(c.status).toBe(201);
    const res = await t.s.req('GET', `/api/games/${c.body.game.id}/pgn`);
    const replay = new Chess();
    replay.loadPgn(res.body as string);
    expect(replay.getHeaders()).toMatchObject({
      Event: 'Monkeytown casual game', White: 'Waiting', Black: '?', Result: '*',
      TimeControl: '-', Termination: 'unterminated', WhiteElo: String(c.body.game.players[0].rating), BlackElo: '-',
    });
  });
});

describe('the PGN link without PUBLIC_URL: the request\'s own address', () => {
  const t = useFreshServer(pgliteBackend, { env: { TRUST_PROXY: '127.0.0.1' } });

  it('names the Host asked for, or the public scheme and host a trusted proxy forwarded', async () => {
    const me = await guest(t.s, 'Linker');
    const c = await t.s.req('POST', '/api/games', { token: me.token, body: { type: 'chess', opponent: { kind: 'open' }, seat: 0 } });
    const id = c.body.game.id as string;
    const site = async (headers: Record<string, string>) =>
      /\[Site "([^"]*)"\]/.exec((await t.s.req('GET', `/api/games/${id}/pgn`, { headers })).body as string)?.[1];
    expect(await site({ host: 'localhost:3001' })).toBe(`http://localhost:3001/games/${id}`);
    expect(await site({ host: 'game-server:3001', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'monkeytown.example' }))
      .toBe(`https://monkeytown.example/games/${id}`);
  });
});
