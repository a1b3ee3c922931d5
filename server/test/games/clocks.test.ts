import { describe, expect, it } from 'vitest';
import { chessStateFromFen, type ClockState, type GameResult } from '@monkeytown/shared';
import { backends } from '../helpers/db.js';
import { useReplicas } from '../helpers/replicas.js';
import { guest, startTestServer, waitFor, type TestServer } from '../helpers/server.js';

/**
 * Issue 12, acceptance 1: clocks measured on the server, flags that fall with nobody
 * sending anything, exactly once across replicas, and idle games that expire.
 */
const LAG_MS = 250;
const ENV = { CLOCK_LAG_MS: String(LAG_MS), FLAG_SWEEP_MS: '300', GAME_IDLE_EXPIRY_SECONDS: '4', OPEN_SEAT_EXPIRY_SECONDS: '4' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(backends())('clocks and deadlines ($name)', (backend) => {
  const t = useReplicas(backend, { env: ENV });
  /** Another replica on the same database (for Postgres with a pool of its own). */
  const replica = async () => {
    const db = backend.name === 'postgres' ? (await import('../../src/db/pg.js')).createPgDb(t.tdb.url!) : t.tdb.db;
    const s = await startTestServer(db, { env: ENV });
    return { s, async stop() { await s.close(); if (db !== t.tdb.db) await db.close(); } };
  };

  /** A game between two new guests (A seat 0, B seat 1), B joining on `joinOn`. */
  async function game(s: TestServer, type: string, clock?: { initialSeconds: number; incrementSeconds: number }, joinOn = s) {
    const a = await guest(s, 'A');
    const b = await guest(s, 'B');
    const created = await s.req('POST', '/api/games', { token: a.token, body: { type, opponent: { kind: 'open' }, seat: 0, ...(clock ? { clock } : {}) } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.game.id as string;
    const joined = await joinOn.req('POST', `/api/games/${id}/join`, { token: b.token });
    expect(joined.status).toBe(200);
    return { a, b, id, joined: joined.body.game };
  }
  /** The first move of each side (their clocks start only then): A then B, on `on`. */
  const OPENING: Record<string, [unknown, unknown]> = {
    tictactoe: [{ cell: 0 }, { cell: 4 }], connect4: [{ column: 0 }, { column: 1 }], chess: [{ uci: 'e2e4' }, { uci: 'e7e5' }],
  };
  async function open(g: { a: { token: string }; b: { token: string }; id: string }, type: string, on: TestServer = t.s1) {
    const [m0, m1] = OPENING[type]!;
    expect((await on.req('POST', `/api/games/${g.id}/moves`, { token: g.a.token, body: { move: m0, expectedSeq: 2 } })).status).toBe(200);
    expect((await on.req('POST', `/api/games/${g.id}/moves`, { token: g.b.token, body: { move: m1, expectedSeq: 3 } })).status).toBe(200);
  }
  const overEvents = async (id: string) =>
    (await t.tdb.db.query<{ data: { result: GameResult; clockState?: ClockState }; at: Date }>(
      `SELECT data, at FROM events WHERE game_id = $1 AND kind = 'game.over'`, [id])).rows;
  /** The clocks as stored by the last commit (snapshots count them down to the read). */
  const storedClock = async (id: string) =>
    (await t.tdb.db.query<{ clock_state: ClockState }>('SELECT clock_state FROM games WHERE id = $1', [id])).rows[0]!.clock_state;
  const finished = (id: string) => waitFor(async () => (await overEvents(id))[0], 15_000, `game ${id} over`);
  const published = (id: string) =>
    [...(t.s1.bus as { events: { topic: string; kind: string }[] }).events, ...(t.s2.bus as { events: { topic: string; kind: string }[] }).events]
      .filter((e) => e.topic === `game:${id}` && e.kind === 'game.over');

  it('a flag falls on the server within increment + 1 s with no request, once, whichever replica knew of it', async () => {
    const clock = { initialSeconds: 5, incrementSeconds: 1 };
    // Three games whose seat 0 never moves again after the first moves (the clocks start
    // only then): opened on replica 1, on replica 2, and on a third replica that stops
    // right after the second move (its timer dies with it).
    const g1 = await game(t.s1, 'tictactoe', clock);
    const g2 = await game(t.s1, 'connect4', clock, t.s2);
    const third = await replica();
    const g3 = await game(third.s, 'tictactoe', clock);
    // Chess, where the side not flagged has a bare king: a draw on time.
    const g4 = await game(t.s1, 'chess', clock);
    for (const g of [g1, g2, g3, g4]) {
      // player.joined carries the clocks the join set (and the status and turn), as stored: none runs yet.
      const joinedEvent = (await t.tdb.db.query<{ data: { status: string; turn: number; clockState: ClockState } }>(
        `SELECT data FROM events WHERE game_id = $1 AND kind = 'player.joined'`, [g.id])).rows[0]!.data;
      expect(joinedEvent).toMatchObject({ status: 'active', turn: 0, clockState: { remainingMs: [5000, 5000], running: null } });
      expect(g.joined.clockState.running).toBeNull();
    }
    await open(g1, 'tictactoe');
    await open(g2, 'connect4', t.s2);
    await open(g3, 'tictactoe', third.s);
    await third.stop();
    await open(g4, 'chess');
    await t.tdb.db.query('UPDATE games SET state = $2 WHERE id = $1', [g4.id, JSON.stringify(chessStateFromFen('8/8/8/4k3/8/8/8/4K2R w - - 0 1'))]);

    const started = await Promise.all([g1, g2, g3, g4].map((g) => storedClock(g.id)));
    for (const [i, g] of [g1, g2, g3, g4].entries()) {
      expect(started[i]).toEqual({ remainingMs: [5000, 5000], running: 0, at: started[i]!.at }); // first moves are free
      const over = await finished(g.id);
      // The moment seat 0's clock showed 0:00, by the clocks the join started.
      const flag = Date.parse(started[i]!.at) + 5000;
      const late = new Date(over.at).getTime() - flag;
      expect(late, `${g.id}: game.over ${late} ms after the flag`).toBeGreaterThanOrEqual(0);
      expect(late, `${g.id}: game.over ${late} ms after the flag`).toBeLessThanOrEqual(clock.incrementSeconds * 1000 + 1000);
      expect(over.data.clockState).toMatchObject({ remainingMs: [0, 5000], running: null });
    }
    expect((await overEvents(g1.id))[0]!.data.result).toEqual({ winner: 1, reason: 'timeout' });
    expect((await overEvents(g2.id))[0]!.data.result).toEqual({ winner: 1, reason: 'timeout' });
    expect((await overEvents(g3.id))[0]!.data.result).toEqual({ winner: 1, reason: 'timeout' });
    expect((await overEvents(g4.id))[0]!.data.result).toEqual({ winner: null, reason: 'timeout', detail: 'insufficient material' });
    await sleep(1000); // both replicas had time to sweep again: still one result each
    for (const g of [g1, g2, g3, g4]) {
      expect(await overEvents(g.id)).toHaveLength(1);
      await waitFor(() => published(g.id).length > 0, 5000, 'game.over published');
      expect(published(g.id)).toHaveLength(1);
      const snap = (await t.s2.req('GET', `/api/games/${g.id}`)).body.game;
      expect(snap.status).toBe('finished');
      expect(snap.result.reason).toBe('timeout');
      expect(snap.clockState).toMatchObject({ remainingMs: [0, 5000], running: null });
    }
  }, 60_000);

  it('each move is charged its time since the last commit less the bounded lag allowance, plus the increment', async () => {
    const g = await game(t.s1, 'tictactoe', { initialSeconds: 10, incrementSeconds: 2 });
    await open(g, 'tictactoe'); // the first moves: free (first-move.test.ts)
    const c0 = await storedClock(g.id);
    const m1 = await t.s1.req('POST', `/api/games/${g.id}/moves`, { token: g.a.token, body: { move: { cell: 1 }, expectedSeq: 4 } });
    expect(m1.status).toBe(200);
    const ev1 = (await t.tdb.db.query<{ data: { clockState: ClockState } }>(`SELECT data FROM events WHERE game_id = $1 AND seq = 5`, [g.id])).rows[0]!;
    const c1 = ev1.data.clockState;
    const e1 = Date.parse(c1.at) - Date.parse(c0.at);
    expect(c1.running).toBe(1);
    expect(c1.remainingMs).toEqual([10_000 - Math.max(0, e1 - LAG_MS) + 2000, 10_000]);
    // B thinks 1.2 s: charged all of it but the allowance.
    await sleep(1200);
    const m2 = await t.s2.req('POST', `/api/games/${g.id}/moves`, { token: g.b.token, body: { move: { cell: 8 }, expectedSeq: 5 } });
    expect(m2.status).toBe(200);
    const c2 = (await t.tdb.db.query<{ data: { clockState: ClockState } }>(`SELECT data FROM events WHERE game_id = $1 AND seq = 6`, [g.id])).rows[0]!.data.clockState;
    const e2 = Date.parse(c2.at) - Date.parse(c1.at);
    expect(e2).toBeGreaterThanOrEqual(1200);
    expect(c2.remainingMs).toEqual([c1.remainingMs[0], 10_000 - (e2 - LAG_MS) + 2000]);
    expect(c2.remainingMs[1]).toBeLessThanOrEqual(10_000 - (1200 - LAG_MS) + 2000); // never more than the allowance back
    expect(c2.running).toBe(0);
    // The move response's snapshot is the same clock, counted down to its read.
    expect(m2.body.game.clockState.remainingMs[1]).toBe(c2.remainingMs[1]);
    expect(m2.body.game.clockState.remainingMs[0]).toBeLessThanOrEqual(c2.remainingMs[0]);
  }, 30_000);

  it('a move that arrives after its flag is refused and the game is lost on time; the lobby never lists it as live', async () => {
    await t.s1.flags.stop();
    await t.s2.flags.stop(); // no scheduler: only the move path can notice
    try {
      const g = await game(t.s1, 'tictactoe', { initialSeconds: 5, incrementSeconds: 0 });
      await open(g, 'tictactoe');
      await sleep(5000 + LAG_MS + 200);
      const active = (await t.s1.req('GET', '/api/games?status=active&limit=100')).body.games.map((x: { id: string }) => x.id);
      expect(active).not.toContain(g.id); // its deadline passed: not live, though nothing recorded it yet
      const late = await t.s2.req('POST', `/api/games/${g.id}/moves`, { token: g.a.token, body: { move: { cell: 1 }, expectedSeq: 4 } });
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('game_over');
      const snap = (await t.s1.req('GET', `/api/games/${g.id}`)).body.game;
      expect(snap.result).toEqual({ winner: 1, reason: 'timeout' });
      expect(snap.moveCount).toBe(2);
      expect(await overEvents(g.id)).toHaveLength(1);
    } finally {
      t.s1.flags.start();
      t.s2.flags.start();
    }
  }, 30_000);

  it('idle untimed games and open seats nobody takes expire (abandoned); a move keeps a game alive; Live now lists only live games', async () => {
    const idle = await game(t.s1, 'tictactoe');
    const busy = await game(t.s1, 'tictactoe');
    const a = await guest(t.s1, 'Lonely');
    const open = (await t.s1.req('POST', '/api/games', { token: a.token, body: { type: 'connect4', opponent: { kind: 'open' } } })).body.game.id as string;
    await sleep(1500); // well inside the 4 s expiry, even on a loaded machine
    expect((await t.s2.req('POST', `/api/games/${busy.id}/moves`, { token: busy.a.token, body: { move: { cell: 0 }, expectedSeq: 2 } })).status).toBe(200);
    for (const id of [idle.id, open]) expect((await finished(id)).data.result).toEqual({ winner: null, reason: 'abandoned' });
    const live = (await t.s1.req('GET', '/api/games?status=active&limit=100')).body.games.map((x: { id: string }) => x.id);
    expect(live).toContain(busy.id);
    expect(live).not.toContain(idle.id);
    const openList = (await t.s1.req('GET', '/api/games?status=open&limit=100')).body.games.map((x: { id: string }) => x.id);
    expect(openList).not.toContain(open);
    expect((await t.s1.req('GET', `/api/games/${busy.id}`)).body.game.status).toBe('active');
    // Its expiry counts from the move: it lapses too, later.
    expect((await finished(busy.id)).data.result.reason).toBe('abandoned');
  }, 30_000);

  it('the clock state in the snapshot is right after a restart of the game-server', async () => {
    const r = await replica();
    const g = await game(r.s, 'connect4', { initialSeconds: 60, incrementSeconds: 3 });
    await open(g, 'connect4', r.s);
    const m = await r.s.req('POST', `/api/games/${g.id}/moves`, { token: g.a.token, body: { move: { column: 3 }, expectedSeq: 4 } });
    expect(m.status).toBe(200);
    const stored = await storedClock(g.id);
    await r.stop();
    await sleep(500);
    const again = await replica();
    try {
      const snap = (await again.s.req('GET', `/api/games/${g.id}`)).body.game;
      const since = Date.parse(snap.clockState.at) - Date.parse(stored.at);
      expect(since).toBeGreaterThanOrEqual(500);
      expect(snap.clockState).toEqual({ remainingMs: [stored.remainingMs[0], stored.remainingMs[1] - since], running: 1, at: snap.clockState.at });
      expect(stored.remainingMs[0]).toBeGreaterThan(60_000); // the increment
    } finally {
      await again.stop();
    }
  }, 60_000);
});
