import { describe, expect, it } from 'vitest';
import type { ClockState, GameResult } from '@monkeytown/shared';
import { backends } from '../helpers/db.js';
import { useReplicas } from '../helpers/replicas.js';
import { guest, startTestServer, waitFor, type TestServer } from '../helpers/server.js';

/**
 * Issue 26, acceptance 4 (lichess's clock rule): a side's clock starts only after its
 * first move; a side whose first move does not come within FIRST_MOVE_TIMEOUT_SECONDS
 * aborts the game, unrated — a real deadline (games.flag_at), settled by whichever
 * replica's scheduler sees it, like a flag.
 */
const LAG_MS = 250;
const FIRST_MOVE_S = 2;
const ENV = { CLOCK_LAG_MS: String(LAG_MS), FLAG_SWEEP_MS: '300', FIRST_MOVE_TIMEOUT_SECONDS: String(FIRST_MOVE_S) };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ABORTED: GameResult = { winner: null, reason: 'aborted', detail: 'no first move in time' };

describe.each(backends())('first moves and the first-move abort ($name)', (backend) => {
  const t = useReplicas(backend, { env: ENV });

  /** A rated timed tic-tac-toe game between two new guests (A seat 0, B seat 1), B joining on `joinOn`. */
  async function game(s: TestServer, joinOn = s) {
    const a = await guest(s, 'A');
    const b = await guest(s, 'B');
    const clock = { initialSeconds: 30, incrementSeconds: 2 };
    const created = await s.req('POST', '/api/games', { token: a.token, body: { type: 'tictactoe', opponent: { kind: 'open' }, seat: 0, rated: true, clock } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.game.id as string;
    const joined = await joinOn.req('POST', `/api/games/${id}/join`, { token: b.token });
    expect(joined.status).toBe(200);
    return { a, b, id, joined: joined.body.game };
  }
  const move = (s: TestServer, g: { id: string }, token: string, cell: number, expectedSeq: number) =>
    s.req('POST', `/api/games/${g.id}/moves`, { token, body: { move: { cell }, expectedSeq } });
  const overEvents = async (id: string) =>
    (await t.tdb.db.query<{ data: { result: GameResult; ratings?: unknown; clockState?: ClockState }; at: Date }>(
      `SELECT data, at FROM events WHERE game_id = $1 AND kind = 'game.over'`, [id])).rows;
  const finished = (id: string) => waitFor(async () => (await overEvents(id))[0], 15_000, `game ${id} over`);
  /** Rating rows of these players that moved off the starting rating. */
  const ratingsMoved = async (ids: string[]) =>
    (await t.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ratings WHERE player_id = ANY($1::uuid[]) AND (rating <> 1500 OR rd <> 350)', [ids])).rows[0]!.n;
  const storedClock = async (id: string) =>
    (await t.tdb.db.query<{ clock_state: ClockState }>('SELECT clock_state FROM games WHERE id = $1', [id])).rows[0]!.clock_state;

  it("no clock runs before each side's first move; a first move in time starts the clock, free of charge", async () => {
    const g = await game(t.s1);
    expect(g.joined.clockState).toMatchObject({ remainingMs: [30_000, 30_000], running: null });
    const white = Date.parse(g.joined.clockState.firstMoveBy) - Date.parse(g.joined.clockState.at);
    expect(white).toBe(FIRST_MOVE_S * 1000);
    await sleep(1200); // White thinks: no clock counts it
    const snap = (await t.s2.req('GET', `/api/games/${g.id}`)).body.game;
    expect(snap.clockState).toMatchObject({ remainingMs: [30_000, 30_000], running: null });
    const m1 = await move(t.s2, g, g.a.token, 4, 2);
    expect(m1.status).toBe(200);
    // Black has not moved yet: its clock does not run either; it has its own first-move deadline.
    const c1 = m1.body.game.clockState as ClockState;
    expect(c1).toMatchObject({ remainingMs: [30_000, 30_000], running: null });
    expect(Date.parse(c1.firstMoveBy!)).toBeGreaterThanOrEqual(Date.parse(g.joined.clockState.at) + 1200 + FIRST_MOVE_S * 1000);
    await sleep(1200);
    const m2 = await move(t.s1, g, g.b.token, 0, 3);
    expect(m2.status).toBe(200);
    const c2 = (await t.tdb.db.query<{ clock_state: ClockState }>('SELECT clock_state FROM games WHERE id = $1', [g.id])).rows[0]!.clock_state;
    expect(c2).toEqual({ remainingMs: [30_000, 30_000], running: 0, at: c2.at }); // both moved: White's clock runs
    // Past every first-move deadline, the game goes on: nothing aborted it.
    await sleep(FIRST_MOVE_S * 1000 + 800);
    const later = (await t.s1.req('GET', `/api/games/${g.id}`)).body.game;
    expect(later.status).toBe('active');
    expect(later.clockState.remainingMs[0]).toBeLessThan(30_000 - FIRST_MOVE_S * 1000);
    expect(later.clockState.remainingMs[1]).toBe(30_000);
    expect(await overEvents(g.id)).toHaveLength(0);
  }, 30_000);

  it('a first move that never comes aborts the game on time, unrated, once, whichever replica committed last', async () => {
    // White never moves (joined on replica 1); White moves but Black never does (on replica 2);
    // and a game whose last commit was on a replica that stopped at once (its timer died with it).
    const g1 = await game(t.s1);
    const c1 = await storedClock(g1.id);
    const g2 = await game(t.s2);
    expect((await move(t.s2, g2, g2.a.token, 4, 2)).status).toBe(200);
    const c2 = await storedClock(g2.id);
    const third = await startTestServer(backend.name === 'postgres' ? (await import('../../src/db/pg.js')).createPgDb(t.tdb.url!) : t.tdb.db, { env: ENV });
    const g3 = await game(third);
    const c3 = await storedClock(g3.id);
    await third.close();
    if (backend.name === 'postgres') await third.ctx.db.close();

    for (const [g, c] of [[g1, c1], [g2, c2], [g3, c3]] as const) {
      expect(c.firstMoveBy, 'the deadline was still pending when read').toBeDefined();
      const over = await finished(g.id);
      expect(over.data.result).toEqual(ABORTED);
      expect(over.data.ratings).toBeUndefined();
      const late = new Date(over.at).getTime() - Date.parse(c.firstMoveBy!);
      expect(late, `${g.id}: aborted ${late} ms after the first-move deadline`).toBeGreaterThanOrEqual(0);
      expect(late, `${g.id}: aborted ${late} ms after the first-move deadline`).toBeLessThanOrEqual(LAG_MS + 1000);
      expect(over.data.clockState).toMatchObject({ remainingMs: [30_000, 30_000], running: null });
      const snap = (await t.s2.req('GET', `/api/games/${g.id}`)).body.game;
      expect(snap).toMatchObject({ status: 'finished', result: ABORTED, ratingChanges: null });
      expect(snap.clockState.firstMoveBy).toBeUndefined();
      expect(snap.players.map((p: { rating: number }) => p.rating)).toEqual([1500, 1500]);
    }
    expect(await ratingsMoved([g1.a.id, g1.b.id, g2.a.id, g2.b.id, g3.a.id, g3.b.id])).toBe(0); // no rating changed
    await sleep(800); // both replicas swept again: still one result each
    for (const g of [g1, g2, g3]) expect(await overEvents(g.id)).toHaveLength(1);
  }, 60_000);

  it('a first move that arrives after its deadline is refused and the game is aborted at once', async () => {
    await t.s1.flags.stop();
    await t.s2.flags.stop(); // no scheduler: only the move path can notice
    try {
      const g = await game(t.s1);
      await sleep(FIRST_MOVE_S * 1000 + LAG_MS + 300);
      const live = (await t.s1.req('GET', '/api/games?status=active&limit=100')).body.games.map((x: { id: string }) => x.id);
      expect(live).not.toContain(g.id);
      const late = await move(t.s2, g, g.a.token, 4, 2);
      expect(late.status).toBe(409);
      expect(late.body.error).toMatchObject({ code: 'game_over', message: 'the first move came too late: the game is aborted' });
      const snap = (await t.s1.req('GET', `/api/games/${g.id}`)).body.game;
      expect(snap.result).toEqual(ABORTED);
      expect(snap.moveCount).toBe(0);
      expect(await overEvents(g.id)).toHaveLength(1);
    } finally {
      t.s1.flags.start();
      t.s2.flags.start();
    }
  }, 30_000);
});

describe.each(backends())('first moves against a monkey ($name)', (backend) => {
  // The monkey's search runs in a worker thread and may take a couple of seconds on a
  // loaded test machine: a monkey late for its own first move aborts the game (correctly),
  // so this suite gives each side 8 s rather than 2.
  const t = useReplicas(backend, { env: { ...ENV, FIRST_MOVE_TIMEOUT_SECONDS: '8' } });
  const move = (s: TestServer, g: { id: string }, token: string, cell: number, expectedSeq: number) =>
    s.req('POST', `/api/games/${g.id}/moves`, { token, body: { move: { cell }, expectedSeq } });
  const finished = (id: string) => waitFor(async () => (await t.tdb.db.query<{ data: { result: GameResult } }>(
    `SELECT data FROM events WHERE game_id = $1 AND kind = 'game.over'`, [id])).rows[0], 20_000, `game ${id} over`);

  it("against a monkey: its first move comes at once and the clocks start; a person who never makes theirs is aborted", async () => {
    const me = await guest(t.s1, 'Human');
    const vs = (seat: 0 | 1) => t.s1.req('POST', '/api/games', {
      token: me.token, body: { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'speedygibbon' }, seat, rated: true, clock: { initialSeconds: 30, incrementSeconds: 0 } },
    });
    // I open as X: my first move in time, the monkey's answer, and my clock runs.
    const first = (await vs(0)).body.game;
    expect(first.clockState).toMatchObject({ running: null, firstMoveBy: expect.any(String) });
    expect((await move(t.s1, first, me.token, 4, first.seq)).status).toBe(200);
    const mine = await waitFor(async () => {
      const g = (await t.s1.req('GET', `/api/games/${first.id}`)).body.game;
      return g.turn === 0 && g.moveCount === 2 ? g : null;
    }, 10_000, 'the monkey answered');
    expect(mine.clockState.running).toBe(0);
    expect(mine.clockState.remainingMs[1]).toBe(30_000); // its first move was free too
    // The monkey opens as X at once; I never answer: aborted, unrated.
    const second = (await vs(1)).body.game;
    const over = await finished(second.id);
    expect(over.data.result).toEqual(ABORTED);
    const moves = (await t.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM moves WHERE game_id = $1', [second.id])).rows[0]!.n;
    expect(moves).toBe(1); // the monkey had moved; I had not
    expect((await t.s2.req('GET', `/api/games/${second.id}`)).body.game.ratingChanges).toBeNull();
  }, 30_000);
});
