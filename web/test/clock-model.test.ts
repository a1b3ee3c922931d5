// The game model takes the clocks and the rating changes from move and game.over events.
import { describe, expect, it } from 'vitest';
import type { ClockState } from '@monkeytown/shared/schemas';
import { gameReducer, initialModel, type FeedEvent } from '../src/lib/game-model';
import { createdEvents, HUMAN, AGENT, moveEvents, snapshot } from './fixtures';

const cs = (a: number, b: number, running: 0 | 1 | null): ClockState => ({ remainingMs: [a, b], running, at: '2026-11-30T12:00:00.000Z' });

describe('clocks and ratings in the game model', () => {
  const start = () => gameReducer(initialModel(snapshot({ clockState: cs(60_000, 60_000, 0), clock: { initialSeconds: 60, incrementSeconds: 2 } })), { type: 'events', events: createdEvents() });

  it("takes each move's clocks; an event without them keeps the last", () => {
    let m = start();
    const [first, second] = moveEvents('tictactoe', [{ cell: 4 }, { cell: 0 }], 3);
    const timed: FeedEvent = { ...first!, kind: 'move', data: { ...(first!.data as object), clockState: cs(59_000, 60_000, 1) } } as FeedEvent;
    m = gameReducer(m, { type: 'events', events: [timed], live: true });
    expect(m.game.clockState).toEqual(cs(59_000, 60_000, 1));
    m = gameReducer(m, { type: 'events', events: [second!], live: true });
    expect(m.game.clockState).toEqual(cs(59_000, 60_000, 1));
  });

  it('game.over stops the clocks where the server left them and carries the rating changes', () => {
    let m = start();
    const ratings = [
      { seat: 0 as const, playerId: HUMAN.playerId, before: 1500, after: 1488 },
      { seat: 1 as const, playerId: AGENT.playerId, before: 1320, after: 1332 },
    ];
    m = gameReducer(m, { type: 'events', events: [{ seq: 3, kind: 'game.over', data: { result: { winner: 1, reason: 'timeout' }, ratings, clockState: cs(0, 60_000, null) } }], live: true });
    expect(m.game.status).toBe('finished');
    expect(m.game.clockState).toEqual(cs(0, 60_000, null));
    expect(m.game.ratingChanges).toEqual(ratings);
    expect(m.game.players.map((p) => p.rating)).toEqual([1488, 1332]);
  });

  it("takes our own move's clocks from its POST answer", () => {
    let m = start();
    const game = snapshot({ seq: 3, moveCount: 1, turn: 1, clockState: cs(61_000, 60_000, 1) });
    m = gameReducer(m, { type: 'moved', response: { game, seq: 3 }, move: { cell: 4 }, playerId: HUMAN.playerId });
    expect(m.game.clockState).toEqual(cs(61_000, 60_000, 1));
    expect(m.moves).toHaveLength(1);
  });
});

describe('a timed game starting', () => {
  it("starts the first mover's clock, full, when the second seat fills (player.joined carries no clocks)", () => {
    const open = snapshot({ status: 'open', turn: null, seq: 1, players: [HUMAN], clock: { initialSeconds: 15, incrementSeconds: 2 }, clockState: { remainingMs: [15_000, 15_000], running: null, at: '2026-11-30T12:00:00.000Z' } });
    let m = initialModel(open);
    m = gameReducer(m, { type: 'events', events: [{ seq: 1, kind: 'game.created', data: { game: open } }] });
    m = gameReducer(m, { type: 'events', events: [{ seq: 2, kind: 'player.joined', data: { player: { ...AGENT, kind: 'human' } } }], live: true });
    expect(m.game.status).toBe('active');
    expect(m.game.clockState?.running).toBe(0);
    expect(m.game.clockState?.remainingMs).toEqual([15_000, 15_000]);
  });
});
