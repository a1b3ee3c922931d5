import { afterAll, describe, expect, it, vi } from 'vitest';
import { applyEvent, EventsResponse, GameSnapshot, replayEvents, type GameEvent } from '@monkeytown/shared';
import { createMemoryBus } from '../../src/bus/index.js';
import { clockAt } from '../../src/games/clock/clock.js';
import { backends } from '../helpers/db.js';
import { guest, useFreshServer, waitFor } from '../helpers/server.js';

// Many requests per test, each followed by two reads: generous on a loaded shared machine.
vi.setConfig({ testTimeout: 90_000 });

type Player = { id: string; token: string };

/**
 * The shared fold (packages/shared commands/apply-event.ts) against the real server: after
 * every step of real games — create, join, moves, chat, draw and takeback offers, a
 * takeback, resignation, a win on the board, a rematch, an agent's turns, a timed game's
 * clocks and an agreed draw — folding GET /events gives exactly GET /api/games/:id, both
 * from the events alone (game.created first) and from the previous snapshot plus the
 * events since (as the web does).
 *
 * Not compared as is, because the snapshot computes them from the time of the read or the
 * row, which no event carries exactly:
 * - `clockState` while a clock runs: the snapshot counts the running side down to the read;
 *   the fold holds the reading of the event that set it, so it is compared counted down to
 *   the snapshot's `at` with the server's own clockAt (exact). A player.joined stored without
 *   its clocks (before the server wrote them) starts them at the event's `at`, which is not
 *   the join's commit time: then within a second.
 * - `updatedAt`: the fold takes the event's `at`, the row's time of the same commit but not
 *   always from the same clock (the move batch stamps the row from the process).
 * (The players' ratings are read from the ratings table as they are now; these players play
 * no other game meanwhile, so they are compared as they are.)
 */
describe.each(backends())('applyEvent folds a game into its snapshot ($name)', (backend) => {
  const bus = createMemoryBus();
  afterAll(async () => {
    await bus.close();
  });
  const suite = useFreshServer(backend, { bus });
  const s = () => suite.s;

  const snapshot = async (id: string): Promise<GameSnapshot> => {
    const r = await s().req('GET', `/api/games/${id}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return GameSnapshot.parse(r.body.game);
  };
  const events = async (id: string, after = 0): Promise<GameEvent[]> => {
    const r = await s().req('GET', `/api/games/${id}/events?after=${after}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return EventsResponse.parse(r.body).events; // every payload checked against its kind's schema
  };

  /** The folded snapshot with what the read computes brought to the read (see above). */
  function atRead(folded: GameSnapshot, snap: GameSnapshot, legacyJoin: boolean): GameSnapshot {
    let clockState = folded.clockState;
    if (clockState && snap.clockState) {
      clockState = clockAt(clockState, Date.parse(snap.clockState.at));
      if (legacyJoin && clockState.running !== null) {
        const [f, r] = [clockState.remainingMs, snap.clockState.remainingMs];
        expect(Math.abs(f[0] - r[0]) + Math.abs(f[1] - r[1]), 'clocks started at the join').toBeLessThan(1000);
        clockState = { ...clockState, remainingMs: r, at: snap.clockState.at };
      }
    }
    return { ...folded, clockState, updatedAt: snap.updatedAt };
  }

  /** The snapshot each game had at its last check, the start of the next incremental fold. */
  const last = new Map<string, GameSnapshot>();

  /** Folds the game's events both ways and expects the server's snapshot. */
  async function check(id: string, step: string): Promise<GameSnapshot> {
    const snap = await snapshot(id);
    // An agent may move between the two reads: fold what the snapshot had seen.
    const all = (await events(id)).filter((e) => e.seq <= snap.seq);
    expect(all.map((e) => e.seq), step).toEqual(Array.from({ length: snap.seq }, (_, i) => i + 1));
    const clockEvents = all.filter((e) => e.kind === 'player.joined' || e.kind === 'move' || e.kind === 'takeback' || e.kind === 'game.over');
    const lastClock = clockEvents.filter((e) => 'clockState' in e.data || e.kind === 'player.joined').at(-1);
    const legacyJoin = lastClock?.kind === 'player.joined' && lastClock.data.clockState === undefined;

    const replayed = replayEvents(all);
    expect(replayed && atRead(replayed, snap, legacyJoin), `${step}: replayed from game.created`).toEqual(snap);
    const prev = last.get(id);
    if (prev) {
      const stepped = all.filter((e) => e.seq > prev.seq).reduce(applyEvent, prev);
      expect(atRead(stepped, snap, legacyJoin), `${step}: the last snapshot + the events since`).toEqual(snap);
    }
    last.set(id, snap);
    return snap;
  }

  const post = async (id: string, path: string, p: Player, body: object = {}) => {
    const r = await s().req('POST', `/api/games/${id}/${path}`, { token: p.token, body });
    expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(path === 'chat' ? 201 : 200);
    return r.body;
  };
  const seqOf = async (id: string) => (await snapshot(id)).seq;
  const move = async (id: string, p: Player, move: object) => post(id, 'moves', p, { move, expectedSeq: await seqOf(id) });
  const offer = async (id: string, p: Player, o: string, action: string) => post(id, 'offers', p, { offer: o, action, expectedSeq: await seqOf(id) });
  const open = async (p: Player, body: object) => {
    const r = await s().req('POST', '/api/games', { token: p.token, body: { opponent: { kind: 'open' }, seat: 0, ...body } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.game.id as string;
  };

  it('two people: join, moves, chat, offers, a takeback, resignation, a rematch won on the board', async () => {
    const a = await guest(s(), 'Ann');
    const b = await guest(s(), 'Ben');
    const id = await open(a, { type: 'tictactoe' });
    await check(id, 'created');
    await post(id, 'join', b);
    expect(await check(id, 'joined')).toMatchObject({ status: 'active', turn: 0 });
    await move(id, a, { cell: 4 });
    await check(id, 'first move');
    await move(id, b, { cell: 0 });
    await check(id, 'second move');
    await post(id, 'chat', a, { text: 'good luck' });
    await check(id, 'chat');
    await offer(id, a, 'draw', 'offer');
    expect(await check(id, 'draw offered')).toMatchObject({ offers: { draw: 0 } });
    await offer(id, b, 'draw', 'decline');
    await check(id, 'draw declined');
    await offer(id, b, 'takeback', 'offer');
    expect(await check(id, 'takeback asked')).toMatchObject({ offers: { takeback: 1 } });
    await offer(id, a, 'takeback', 'accept');
    expect(await check(id, 'taken back')).toMatchObject({ moveCount: 1, turn: 1 });
    // Ann offers a draw on Ben's turn: Ben's move makes it lapse, with no event.
    await offer(id, a, 'draw', 'offer');
    await move(id, b, { cell: 8 });
    expect(await check(id, 'draw lapsed')).toMatchObject({ offers: { draw: null } });
    // Ben asks for a takeback and Ann moves instead: it lapses too.
    await offer(id, b, 'takeback', 'offer');
    await move(id, a, { cell: 2 });
    expect(await check(id, 'takeback lapsed')).toMatchObject({ offers: { takeback: null }, moveCount: 3 });
    await post(id, 'resign', b);
    const over = await check(id, 'resigned');
    expect(over).toMatchObject({ status: 'finished', result: { winner: 0, reason: 'resign' } });
    expect(over.ratingChanges).toHaveLength(2); // rated: both moved

    await offer(id, b, 'rematch', 'offer');
    await check(id, 'rematch offered');
    const accepted = await offer(id, a, 'rematch', 'accept');
    const rematchId = accepted.rematch.id as string;
    expect(await check(id, 'rematch agreed')).toMatchObject({ rematchId });
    // The rematch: Ben in seat 0 wins on the board (the game.over of a rated move).
    await check(rematchId, 'rematch created');
    for (const [p, cell] of [[b, 0], [a, 3], [b, 1], [a, 4]] as const) {
      await move(rematchId, p, { cell });
      await check(rematchId, `rematch cell ${cell}`);
    }
    await move(rematchId, b, { cell: 2 });
    expect(await check(rematchId, 'three in a row')).toMatchObject({ status: 'finished', result: { winner: 0, reason: 'win' } });
  });

  it("a timed chess game: the clocks the join set (none running before each side's first move), each move's, an agreed draw stopping them", async () => {
    const a = await guest(s(), 'Ann');
    const b = await guest(s(), 'Ben');
    const id = await open(a, { type: 'chess', rated: false, clock: { initialSeconds: 300, incrementSeconds: 2 } });
    await check(id, 'created');
    await post(id, 'join', b);
    expect((await check(id, 'joined')).clockState).toMatchObject({ running: null, firstMoveBy: expect.any(String) });
    for (const [p, uci] of [[a, 'e2e4'], [b, 'e7e5'], [a, 'g1f3']] as const) {
      await move(id, p, { uci });
      const folded = await check(id, uci);
      expect(folded.clockState?.running).toBe(uci === 'e2e4' ? null : uci === 'e7e5' ? 0 : 1);
    }
    await offer(id, b, 'draw', 'offer');
    await check(id, 'draw offered');
    await offer(id, a, 'draw', 'accept');
    const over = await check(id, 'draw agreed');
    expect(over).toMatchObject({ status: 'finished', result: { winner: null, reason: 'agreement' }, clockState: { running: null } });
  });

  it("against an agent: its turns (agent.thinking, its moves) and a resignation", async () => {
    const a = await guest(s(), 'Ann');
    const r = await s().req('POST', '/api/games', { token: a.token, body: { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'speedygibbon' }, seat: 0 } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const id = r.body.game.id as string;
    await check(id, 'created');
    await move(id, a, { cell: 4 });
    // The agent answers on its own: checked whenever the reads land, then once it has moved.
    await check(id, 'after my move');
    await waitFor(async () => (await snapshot(id)).moveCount === 2, 20_000, 'the agent to move');
    expect(await check(id, 'the agent moved')).toMatchObject({ turn: 0, agentThinking: false });
    expect((await events(id)).some((e) => e.kind === 'agent.thinking')).toBe(true);
    await post(id, 'resign', a);
    expect(await check(id, 'resigned')).toMatchObject({ status: 'finished', result: { winner: 1, reason: 'resign' } });
  });
});
