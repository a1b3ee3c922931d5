// The mover's own move (issue 10): its POST answer is folded at once, the stream's copy of
// the same seq is a no-op, and nothing asks for a REST catch-up, whatever the order in
// which the answer and the stream's events arrive. A real gap still asks for one.
import { describe, expect, it } from 'vitest';
import type { GameSnapshot, Move } from '@monkeytown/shared/schemas';
import { displayState, gameReducer, initialModel, isBehind, type GameAction, type GameModel } from '../src/lib/game-model';
import { AGENT, chatEvent, createdEvents, HUMAN, moveEvents, snapshot, snapshotAfter as after } from './fixtures';

/** The page after loading an agent game at seq 2 (history fetched), Alice (seat 0) to move. */
function loaded(): GameModel {
  return gameReducer(initialModel(snapshot()), { type: 'events', events: createdEvents() });
}

/** Play `move` optimistically and get its POST answer (move event at `seq`). */
function moved(move: Move, game: GameSnapshot, seq: number): GameAction {
  return { type: 'moved', response: { game, seq }, move, playerId: HUMAN.playerId };
}

const cells = (m: GameModel) => (displayState(m) as { cells: (0 | 1 | null)[] }).cells;

describe('own move: the POST answer is authoritative', () => {
  it('folds the move from the answer, then takes the stream copy of it as a no-op', () => {
    let m = gameReducer(loaded(), { type: 'optimistic', move: { cell: 4 } });
    m = gameReducer(m, moved({ cell: 4 }, after([{ cell: 4 }], 3), 3));
    expect(m.pending).toBeNull();
    expect(m.moves.map((x) => [x.seq, x.label, x.seat])).toEqual([[3, 'b2', 0]]);
    expect(m.historySeq).toBe(3);
    expect(m.needsCatchUp).toBe(false);
    expect(isBehind(m)).toBe(false);
    expect(cells(m)[4]).toBe(0);

    const [ours, theirs] = moveEvents('tictactoe', [{ cell: 4 }, { cell: 0 }], 3, [null, 'takes a corner']);
    const before = m;
    m = gameReducer(m, { type: 'events', events: [ours!], live: true });
    expect(m.moves).toEqual(before.moves);
    expect(m.game).toBe(before.game);
    expect(m.needsCatchUp).toBe(false);

    // The agent's reply comes on the stream as usual (here: thinking at 4, the move at 5).
    m = gameReducer(m, { type: 'events', events: [{ seq: 4, kind: 'agent.thinking', data: { seat: 1, agentId: 'mentororangutan' } }], live: true });
    m = gameReducer(m, { type: 'events', events: [{ ...theirs!, seq: 5 }], live: true });
    expect(m.moves.map((x) => [x.seq, x.label, x.reason])).toEqual([[3, 'b2', null], [5, 'a1', 'takes a corner']]);
    expect(m.game.turn).toBe(0);
    expect(m.needsCatchUp).toBe(false);
  });

  it('gives the same history when the stream beats the answer', () => {
    let m = gameReducer(loaded(), { type: 'optimistic', move: { cell: 4 } });
    m = gameReducer(m, { type: 'events', events: moveEvents('tictactoe', [{ cell: 4 }], 3), live: true });
    expect(m.pending).toBeNull();
    m = gameReducer(m, moved({ cell: 4 }, after([{ cell: 4 }], 3), 3));
    expect(m.moves).toHaveLength(1);
    expect(m.game.legalMoves).toHaveLength(8); // the answer's snapshot is taken (same seq)
    expect(m.needsCatchUp).toBe(false);
  });

  it('ignores a late answer when the agent already replied on the stream while the POST was in flight', () => {
    let m = gameReducer(loaded(), { type: 'optimistic', move: { cell: 4 } });
    const [ours, theirs] = moveEvents('tictactoe', [{ cell: 4 }, { cell: 0 }], 3);
    m = gameReducer(m, { type: 'events', events: [ours!], live: true });
    m = gameReducer(m, { type: 'events', events: [{ seq: 4, kind: 'agent.thinking', data: { seat: 1, agentId: 'mentororangutan' } }], live: true });
    m = gameReducer(m, { type: 'events', events: [{ ...theirs!, seq: 5 }], live: true });
    const settled = m;
    m = gameReducer(m, moved({ cell: 4 }, after([{ cell: 4 }], 3), 3));
    expect(m.game).toBe(settled.game); // seq 3 is older than what the stream said
    expect(m.moves.map((x) => x.seq)).toEqual([3, 5]);
    expect(m.game.turn).toBe(0);
    expect(m.needsCatchUp).toBe(false);
  });

  it("a winning move: the answer already says game over; the stream's game.over just completes the history", () => {
    const ours: Move[] = [{ cell: 0 }, { cell: 3 }, { cell: 1 }, { cell: 4 }];
    let m = gameReducer(loaded(), { type: 'events', events: moveEvents('tictactoe', ours, 3), live: true });
    expect(m.historySeq).toBe(6);
    m = gameReducer(m, { type: 'optimistic', move: { cell: 2 } });
    // Move at 7, game.over at 8: the answer's snapshot is at seq 8.
    const won = after([...ours, { cell: 2 }], 8, { result: { winner: 0, reason: 'win', line: [0, 1, 2] } });
    m = gameReducer(m, moved({ cell: 2 }, won, 7));
    expect(m.game.status).toBe('finished');
    expect(m.moves).toHaveLength(5);
    expect(m.historySeq).toBe(7);
    expect(isBehind(m)).toBe(true); // until the stream brings seq 8 …
    expect(m.needsCatchUp).toBe(false); // … which it will: no REST call
    const stream = moveEvents('tictactoe', [...ours, { cell: 2 }], 3).slice(-1);
    m = gameReducer(m, { type: 'events', events: stream, live: true });
    m = gameReducer(m, { type: 'events', events: [{ seq: 8, kind: 'game.over', data: { result: { winner: 0, reason: 'win', line: [0, 1, 2] } } }], live: true });
    expect(isBehind(m)).toBe(false);
    expect(m.needsCatchUp).toBe(false);
    expect(m.game.result?.line).toEqual([0, 1, 2]);
    expect(m.moves).toHaveLength(5);
  });

  it('an event the stream has not delivered yet sits before our move: the move waits, no REST', () => {
    let m = gameReducer(loaded(), { type: 'optimistic', move: { cell: 4 } });
    // A chat line took seq 3 on the server; our move is 4. The answer arrives first.
    m = gameReducer(m, moved({ cell: 4 }, after([{ cell: 4 }], 4), 4));
    expect(m.pending).toBeNull();
    expect(cells(m)[4]).toBe(0); // the board follows the answer at once
    expect(m.moves).toHaveLength(0); // the move list waits for seq 3
    expect(m.needsCatchUp).toBe(false);
    m = gameReducer(m, { type: 'events', events: [chatEvent(3)], live: true });
    expect(m.chat.map((c) => c.text)).toEqual(['hi']);
    expect(m.moves.map((x) => x.seq)).toEqual([4]);
    expect(m.early).toEqual([]);
    m = gameReducer(m, { type: 'events', events: moveEvents('tictactoe', [{ cell: 4 }], 4), live: true });
    expect(m.moves).toHaveLength(1);
    expect(m.needsCatchUp).toBe(false);
  });

  it('a seq the stream skips is still a gap, repaired from REST', () => {
    let m = gameReducer(loaded(), moved({ cell: 4 }, after([{ cell: 4 }], 3), 3));
    const ev = moveEvents('tictactoe', [{ cell: 4 }, { cell: 0 }, { cell: 8 }], 3);
    m = gameReducer(m, { type: 'events', events: [ev[2]!], live: true }); // seq 5 without 4
    expect(m.needsCatchUp).toBe(true);
    expect(m.moves).toHaveLength(1);
    m = gameReducer(m, { type: 'events', events: ev }); // GET /events?after=3 (overlapping)
    m = gameReducer(m, { type: 'caughtUp' });
    expect(m.moves.map((x) => x.label)).toEqual(['b2', 'a1', 'c3']);
    expect(m.needsCatchUp).toBe(false);
  });

  it('a refused move (409/422) rolls back; the re-read snapshot does not by itself ask for REST history', () => {
    let m = gameReducer(loaded(), { type: 'optimistic', move: { cell: 4 } });
    // 409: a chat line landed at seq 3 first; the page re-reads the game (same position).
    m = gameReducer(m, { type: 'snapshot', game: after([], 3) });
    expect(m.pending).not.toBeNull(); // same move count: still ours to retry
    m = gameReducer(m, { type: 'rollback', notice: 'The board changed before your move landed. Try again.' });
    expect(cells(m)[4]).toBeNull();
    expect(m.needsCatchUp).toBe(false);
    m = gameReducer(m, { type: 'events', events: [chatEvent(3)], live: true }); // the stream brings the line
    expect(m.chat).toHaveLength(1);
    expect(isBehind(m)).toBe(false);
    // 422: nothing changed on the server; the notice names the reason.
    m = gameReducer(m, { type: 'optimistic', move: { cell: 0 } });
    m = gameReducer(m, { type: 'rollback', notice: 'cell a1 is already taken' });
    expect(m.notice).toBe('cell a1 is already taken');
    expect(m.moves).toHaveLength(0);
  });

  it('after a reconnect the stream replays from its own last seq: what the answer already folded is a no-op', () => {
    let m = gameReducer(loaded(), moved({ cell: 4 }, after([{ cell: 4 }], 3), 3));
    const held = m;
    // The socket dropped before it delivered seq 3; resumed with sinceSeq 2 it replays 3..5.
    const ev = moveEvents('tictactoe', [{ cell: 4 }, { cell: 0 }, { cell: 8 }], 3);
    m = gameReducer(m, { type: 'events', events: [ev[0]!], live: true });
    expect(m.moves).toEqual(held.moves);
    m = gameReducer(m, { type: 'events', events: [ev[1]!], live: true });
    m = gameReducer(m, { type: 'events', events: [ev[2]!], live: true });
    expect(m.moves.map((x) => x.seq)).toEqual([3, 4, 5]);
    expect(m.needsCatchUp).toBe(false);
  });

  it("the opponent's page folds the move from the stream alone", () => {
    let m = loaded();
    m = gameReducer(m, { type: 'events', events: moveEvents('tictactoe', [{ cell: 4 }], 3), live: true });
    expect(m.moves).toHaveLength(1);
    expect(m.game.turn).toBe(1);
    expect(m.needsCatchUp).toBe(false);
    expect(isBehind(m)).toBe(false);
    expect(m.game.players.map((p) => p.name)).toEqual([HUMAN.name, AGENT.name]);
  });
});
