// Small builders for snapshots and events used across component tests.
import type { GameSnapshot, Move, SeatInfo } from '@monkeytown/shared/schemas';
import { engineFor } from '@monkeytown/shared/games';
import type { FeedEvent, MoveEntry } from '../src/lib/game-model';

export const HUMAN: SeatInfo = { seat: 0, playerId: '00000000-0000-4000-8000-000000000001', name: 'Alice', kind: 'human', rating: 1500, provisional: false };
export const AGENT: SeatInfo = {
  seat: 1,
  playerId: '00000000-0000-4000-8000-000000000002',
  name: 'MentorOrangutan',
  kind: 'agent',
  agentId: 'mentororangutan',
  emoji: '📚',
  rating: 1320,
  provisional: false,
};

export function snapshot(over: Partial<GameSnapshot> = {}): GameSnapshot {
  const type = over.type ?? 'tictactoe';
  const state = engineFor(type)!.initialState();
  return {
    id: '11111111-1111-4111-8111-111111111111',
    type,
    status: 'active',
    rated: true,
    seq: 2,
    players: [HUMAN, AGENT],
    turn: 0,
    state,
    legalMoves: engineFor(type)!.legalMoves(state),
    moveCount: 0,
    result: null,
    spectators: 0,
    agentThinking: false,
    clock: null,
    clockState: null,
    offers: { draw: null, takeback: null, rematch: null },
    rematchId: null,
    ratingChanges: null,
    claimAfterSeconds: 30,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

/** Move events for a sequence of moves from the initial position, starting at `seq`. */
export function moveEvents(type: 'tictactoe' | 'connect4', moves: Move[], seq: number, reasons: (string | null)[] = []): FeedEvent[] {
  const engine = engineFor(type)!;
  let state = engine.initialState();
  return moves.map((move, i) => {
    const seat = engine.turn(state);
    state = engine.apply(state, move);
    const over = engine.outcome(state);
    return {
      seq: seq + i,
      kind: 'move',
      data: {
        seat,
        playerId: seat === 0 ? HUMAN.playerId : AGENT.playerId,
        move,
        reason: reasons[i] ?? null,
        moveNumber: i + 1,
        state,
        turn: over ? null : engine.turn(state),
        status: over ? 'finished' : 'active',
      },
    };
  });
}

export function entries(type: 'tictactoe' | 'connect4', moves: Move[], reasons: (string | null)[] = []): MoveEntry[] {
  const engine = engineFor(type)!;
  let state = engine.initialState();
  return moves.map((move, i) => {
    const seat = engine.turn(state);
    const label = engine.describeMove(state, move);
    state = engine.apply(state, move);
    return { seq: 3 + i, moveNumber: i + 1, seat, move, label, reason: reasons[i] ?? null, state };
  });
}

/** The two events every agent game starts with: created (seq 1), the agent seated (seq 2). */
export function createdEvents(): FeedEvent[] {
  return [
    { seq: 1, kind: 'game.created', data: { game: snapshot({ seq: 1, players: [HUMAN] }) } },
    { seq: 2, kind: 'player.joined', data: { player: AGENT } },
  ];
}

/** A chat line at `seq`. */
export function chatEvent(seq: number, text = 'hi'): FeedEvent {
  return { seq, kind: 'chat', data: { playerId: AGENT.playerId, name: AGENT.name, text } };
}

/** A tic-tac-toe game right after `moves` (seat 0 first), at `seq`, as the server's snapshot says it. */
export function snapshotAfter(moves: Move[], seq: number, over: Partial<GameSnapshot> = {}): GameSnapshot {
  const ttt = engineFor('tictactoe')!;
  const state = moves.reduce((s, mv) => ttt.apply(s, mv), ttt.initialState());
  const done = ttt.outcome(state);
  return snapshot({
    seq,
    state,
    moveCount: moves.length,
    turn: done ? null : ttt.turn(state),
    status: done ? 'finished' : 'active',
    legalMoves: done ? [] : ttt.legalMoves(state),
    agentThinking: !done && ttt.turn(state) === 1,
    ...over,
  });
}
