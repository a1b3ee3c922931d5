import { describe, expect, it } from 'vitest';
import { Chess } from 'chess.js';
import { parseGame } from '@mliebelt/pgn-parser';
import { chessBoardOf, chessMoveUci, ChessSearcher } from '@monkeytown/shared/ai';
import { chess, loadEngines, type ChessState } from '@monkeytown/shared/games';
import type { GameReview } from '@monkeytown/shared';
import { backends } from '../helpers/db.js';
import { guest, startTestServer, useFreshServer, waitFor, type TestServer } from '../helpers/server.js';

const MOVES = ['e2e4', 'd7d5', 'd1g4', 'c8g4', 'e4d5', 'd8d5'];

/**
 * Issue 27, acceptance 2: a seeded chess game with a known blunder (2. Qg4??, the queen
 * left to the c8 bishop) is reviewed after it ends: the review names that move as White's
 * biggest mistake, with a better move the search confirms; it is computed once (asking
 * again, or another replica, never recomputes) and is still there after a restart.
 */
describe.each(backends())('post-game review of a seeded blunder ($name)', (backend) => {
  const t = useFreshServer(backend, { env: { REVIEW_AUTO: 'true' } });

  async function playBlunderGame(s: TestServer): Promise<string> {
    const white = await guest(s, 'Blunderer');
    const black = await guest(s, 'Punisher');
    const c = await s.req('POST', '/api/games', { token: white.token, body: { type: 'chess', opponent: { kind: 'open' }, seat: 0 } });
    const id = c.body.game.id as string;
    expect((await s.req('POST', `/api/games/${id}/join`, { token: black.token })).status).toBe(200);
    for (const [i, uci] of MOVES.entries()) {
      const g = (await s.req('GET', `/api/games/${id}`)).body.game;
      const r = await s.req('POST', `/api/games/${id}/moves`, { token: i % 2 ? black.token : white.token, body: { move: { uci }, expectedSeq: g.seq } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    // Before the end there is nothing to review.
    expect((await s.req('GET', `/api/games/${id}/review`)).body.error.code).toBe('conflict');
    expect((await s.req('POST', `/api/games/${id}/resign`, { token: white.token })).status).toBe(200);
    return id;
  }

  const reviewOf = (s: TestServer, id: string) =>
    waitFor(async () => {
      const r = await s.req('GET', `/api/games/${id}/review`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.status === 'done' ? (r.body.review as GameReview) : null;
    }, 120_000, 'the review');

  it('names 2. Qg4?? as the biggest mistake, with a better move the search confirms', async () => {
    const id = await playBlunderGame(t.s);
    const review = await reviewOf(t.s, id); // queued by the game's end (REVIEW_AUTO), not by asking
    const whites = review.moments.filter((m) => m.seat === 0).sort((a, b) => b.loss - a.loss);
    const worst = whites[0]!;
    expect(worst).toMatchObject({ ply: 3, played: '2. Qg4', kind: 'blunder', turningPoint: true });
    expect(worst.text).toMatch(/^.*2\. Qg4\?\? drops the queen: after 2… Bxg4 .*Black is a queen up\. Better was 2\. \S+/);
    expect(review.turningPoint).toBe(3);
    expect(review.players[0].accuracy!).toBeLessThan(review.players[1].accuracy!);
    expect(review.curve).toHaveLength(MOVES.length + 1);
    expect(review.curve[3]!).toBeLessThan(10); // White's chance after the blunder

    // The search, asked directly with every root move scored exactly, prefers the better
    // move to the queen move by at least most of a queen.
    await loadEngines();
    let state: ChessState = chess.initialState();
    for (const uci of MOVES.slice(0, 2)) state = chess.apply(state, { uci });
    const better = chess.legalMoves(state).find((m) => chess.describeMove(state, m) === worst.better.replace(/^\d+\.\s*/, ''))!;
    expect(better).toBeDefined();
    const root = new ChessSearcher(chessBoardOf(state), { mobility: 4, kingSafety: 1 }, 200_000).searchRoot(4, 100_000);
    const score = (uci: string) => root.scores.find((x) => chessMoveUci(x.move) === uci)!.score;
    expect(score(better.uci) - score('d1g4')).toBeGreaterThan(600);

    // The PGN carries the review's words after the move, and parses with two parsers.
    const pgn = (await t.s.req('GET', `/api/games/${id}/pgn`)).body as string;
    const replay = new Chess();
    replay.loadPgn(pgn);
    const comments = replay.getComments().map((c) => c.comment);
    expect(comments.some((c) => c.includes('2. Qg4?? drops the queen'))).toBe(true);
    const parsed = parseGame(pgn);
    expect(parsed.moves[2]!.commentAfter).toContain('drops the queen');
  }, 180_000);

  it('is computed once: asking again, another replica and a restart read the stored review', async () => {
    const id = await playBlunderGame(t.s);
    const first = await reviewOf(t.s, id);
    const computed = t.s.reviews!.computed;
    for (let i = 0; i < 3; i++) expect((await t.s.req('GET', `/api/games/${id}/review`)).body.review).toEqual(first);

    // A second replica on the same database, with reviews of its own queued automatically.
    const other = await startTestServer(t.tdb.db, { env: { REVIEW_AUTO: 'true' } });
    try {
      await new Promise((r) => setTimeout(r, 1000)); // several of its sweeps
      expect((await other.req('GET', `/api/games/${id}/review`)).body).toEqual({ status: 'done', review: first });
      expect(other.reviews!.computed).toBe(0);
    } finally {
      await other.close();
    }
    // A restart: the first server stops, a new one starts on the same data.
    await t.s.close();
    const restarted = await startTestServer(t.tdb.db, { env: { REVIEW_AUTO: 'true' } });
    try {
      expect((await restarted.req('GET', `/api/games/${id}/review`)).body).toEqual({ status: 'done', review: first });
      await new Promise((r) => setTimeout(r, 500));
      expect(restarted.reviews!.computed).toBe(0);
    } finally {
      await restarted.close();
    }
    expect(t.s.reviews!.computed).toBe(computed);
    const { rows } = await t.tdb.db.query<{ attempts: number }>('SELECT attempts FROM game_reviews WHERE game_id = $1', [id]);
    expect(rows[0]!.attempts).toBe(1);
  }, 180_000);
});
