// The one fold of a game's events (commands/apply-event.ts): the edge cases a client meets
// that a game played through the server does not show every time — duplicates, events
// stored before player.joined carried status and clocks, offers lapsing with a move.
// server/test/games/apply-event.test.ts checks it against the real server's snapshots.
import { describe, expect, it } from 'vitest';
import { applyEvent, replayEvents, type FoldEvent } from '../../src/commands/index.js';
import { tictactoe } from '../../src/games/index.js';
import type { GameSnapshot, SeatInfo } from '../../src/schemas/index.js';

const ANN: SeatInfo = { seat: 0, playerId: '00000000-0000-4000-8000-000000000001', name: 'Ann', kind: 'human', rating: 1500, provisional: true };
const BOB: SeatInfo = { seat: 1, playerId: '00000000-0000-4000-8000-000000000002', name: 'Bob', kind: 'human', rating: 1500, provisional: true };
const LEMUR: SeatInfo = { ...BOB, name: 'WildcardLemur', kind: 'agent', agentId: 'wildcardlemur' };
const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:05.000Z';

/** A tic-tac-toe game Ann opened (seat 0), as game.created carries it. */
function opened(over: Partial<GameSnapshot> = {}): GameSnapshot {
  return {
    id: '11111111-1111-4111-8111-111111111111', type: 'tictactoe', status: 'open', rated: true, seq: 1, players: [ANN],
    turn: null, state: tictactoe.initialState(), legalMoves: [], moveCount: 0, result: null, spectators: 0,
    agentThinking: false, clock: null, clockState: null, offers: { draw: null, takeback: null, rematch: null },
    rematchId: null, ratingChanges: null, claimAfterSeconds: 30, createdAt: T0, updatedAt: T0, ...over,
  };
}

const created = (game: GameSnapshot): FoldEvent => ({ seq: 1, at: T0, kind: 'game.created', data: { game } });
const join = (seq: number, player: SeatInfo, extra: object = {}): FoldEvent => ({ seq, at: T1, kind: 'player.joined', data: { player, ...extra } });
const offer = (seq: number, o: 'draw' | 'takeback' | 'rematch', action: 'offered' | 'accepted' | 'declined' | 'cancelled', seat: 0 | 1): FoldEvent =>
  ({ seq, kind: 'offer', data: { offer: o, action, seat } });

/** Move events for `cells` played from the start, the first at `seq`. */
function moves(cells: number[], seq: number): FoldEvent[] {
  let state = tictactoe.initialState();
  return cells.map((cell, i) => {
    const seat = tictactoe.turn(state);
    state = tictactoe.apply(state, { cell });
    const done = tictactoe.outcome(state) !== null;
    return {
      seq: seq + i, at: T1, kind: 'move',
      data: { seat, playerId: seat === 0 ? ANN.playerId : BOB.playerId, move: { cell }, reason: null, moveNumber: i + 1, state, turn: done ? null : tictactoe.turn(state), status: done ? 'finished' : 'active' },
    } satisfies FoldEvent;
  });
}

const fold = (game: GameSnapshot, events: FoldEvent[]) => events.reduce(applyEvent, game);

describe('applyEvent', () => {
  it('ignores an event the snapshot already holds: duplicates and replays change nothing', () => {
    const game = fold(opened(), [join(2, BOB), ...moves([4], 3)]);
    expect(game.seq).toBe(3);
    // The same move again, the join again, an older chat line: the very same snapshot back.
    for (const ev of [...moves([4], 3), join(2, BOB), { seq: 3, kind: 'chat', data: { playerId: ANN.playerId, name: 'Ann', text: 'hi' } } as FoldEvent]) {
      expect(applyEvent(game, ev)).toBe(game);
    }
    expect(applyEvent(game, created(opened()))).toBe(game);
  });

  it('starts the game on a stored player.joined without status (the first seat to move)', () => {
    const game = applyEvent(opened(), join(2, BOB));
    expect(game).toMatchObject({ seq: 2, status: 'active', turn: 0, players: [ANN, BOB], agentThinking: false, updatedAt: T1 });
    expect(game.legalMoves).toHaveLength(9);
    // The second seat taken first: seat 0 still moves first.
    const other = applyEvent(opened({ players: [BOB] }), join(2, ANN));
    expect(other).toMatchObject({ status: 'active', turn: 0, players: [ANN, BOB] });
  });

  it("starts a timed game's clocks full at the join, the first mover's running, when the event does not say", () => {
    const clock = { initialSeconds: 60, incrementSeconds: 2 };
    const game = applyEvent(opened({ clock }), join(2, BOB));
    expect(game.clockState).toEqual({ remainingMs: [60_000, 60_000], running: 0, at: T1 });
    // An event that carries what the join did is taken as it is.
    const said = { remainingMs: [59_000, 60_000] as [number, number], running: 0 as const, at: '2026-01-01T00:00:05.123Z' };
    const told = applyEvent(opened({ clock }), join(2, BOB, { status: 'active', turn: 0, clockState: said }));
    expect(told.clockState).toEqual(said);
    expect(told).toMatchObject({ status: 'active', turn: 0 });
  });

  it('an agent seated on its turn is thinking; a human is not', () => {
    const game = fold(opened(), [join(2, LEMUR), ...moves([4], 3)]);
    expect(game).toMatchObject({ turn: 1, agentThinking: true });
    const next = applyEvent(game, { seq: 4, kind: 'agent.thinking', data: { seat: 1, agentId: 'wildcardlemur' } });
    expect(next).toMatchObject({ seq: 4, turn: 1, agentThinking: true });
  });

  it('a move lapses a takeback request, and a draw offer once the offerer’s opponent moves', () => {
    let game = fold(opened(), [join(2, BOB), ...moves([4], 3), offer(4, 'draw', 'offered', 1), offer(5, 'takeback', 'offered', 1)]);
    expect(game.offers).toEqual({ draw: 1, takeback: 1, rematch: null });
    const [, second, third] = moves([4, 0, 8], 5); // seqs 6 and 7
    game = applyEvent(game, second!); // the offerer's own move
    expect(game.offers).toEqual({ draw: 1, takeback: null, rematch: null });
    game = applyEvent(game, third!); // its opponent's
    expect(game.offers).toEqual({ draw: null, takeback: null, rematch: null });
  });

  it('an offer declined or withdrawn is gone; the game over ends every draw or takeback offer', () => {
    let game = fold(opened(), [join(2, BOB), ...moves([4], 3), offer(4, 'draw', 'offered', 0)]);
    expect(applyEvent(game, offer(5, 'draw', 'declined', 1)).offers.draw).toBeNull();
    expect(applyEvent(game, offer(5, 'draw', 'cancelled', 0)).offers.draw).toBeNull();
    const ratings = [{ seat: 0 as const, playerId: ANN.playerId, before: 1500, after: 1480 }, { seat: 1 as const, playerId: BOB.playerId, before: 1500, after: 1520 }];
    game = applyEvent(game, { seq: 5, at: T1, kind: 'game.over', data: { result: { winner: 1, reason: 'resign' }, ratings } });
    expect(game).toMatchObject({ status: 'finished', turn: null, legalMoves: [], agentThinking: false, result: { winner: 1, reason: 'resign' }, ratingChanges: ratings });
    expect(game.offers).toEqual({ draw: null, takeback: null, rematch: null });
    expect(game.players.map((p) => p.rating)).toEqual([1480, 1520]);
  });

  it('a takeback restores the position and answers the offers; a rematch names the new game', () => {
    const before = fold(opened(), [join(2, BOB), ...moves([4], 3)]);
    let game = fold(opened(), [join(2, BOB), ...moves([4, 0], 3), offer(5, 'takeback', 'offered', 1), offer(6, 'takeback', 'accepted', 0)]);
    game = applyEvent(game, { seq: 7, at: T1, kind: 'takeback', data: { plies: 1, state: before.state, turn: 1, moveCount: 1 } });
    expect(game).toMatchObject({ state: before.state, turn: 1, moveCount: 1, legalMoves: before.legalMoves });
    expect(game.offers).toEqual({ draw: null, takeback: null, rematch: null });
    game = fold(game, [{ seq: 8, at: T1, kind: 'game.over', data: { result: { winner: 0, reason: 'resign' } } }, offer(9, 'rematch', 'offered', 1)]);
    expect(game.offers.rematch).toBe(1);
    game = fold(game, [offer(10, 'rematch', 'accepted', 0), { seq: 11, kind: 'rematch', data: { gameId: '22222222-2222-4222-8222-222222222222' } }]);
    expect(game).toMatchObject({ seq: 11, rematchId: '22222222-2222-4222-8222-222222222222', offers: { rematch: null } });
  });

  it('a winning move ends the game with no turn and no legal moves', () => {
    const game = fold(opened(), [join(2, BOB), ...moves([0, 3, 1, 4, 2], 3)]);
    expect(game).toMatchObject({ status: 'finished', turn: null, moveCount: 5, legalMoves: [] });
  });
});

describe('replayEvents', () => {
  it('builds the snapshot from the events alone, in any order, and is null without game.created', () => {
    const events = [created(opened()), join(2, BOB), ...moves([4, 0], 3), offer(5, 'draw', 'offered', 0)];
    const step = events.reduce(applyEvent, opened({ seq: 0 }));
    expect(replayEvents([...events].reverse())).toEqual(step);
    expect(step).toMatchObject({ seq: 5, moveCount: 2, offers: { draw: 0 } });
    expect(replayEvents(events.slice(1))).toBeNull();
  });
});
