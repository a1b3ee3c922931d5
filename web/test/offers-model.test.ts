// The reducer's issue-12 events: offers, takebacks, the rematch and players' presence,
// as spectators and reconnecting players fold them from the stream or REST history.
import { describe, expect, it } from 'vitest';
import { gameReducer, initialModel, type FeedEvent, type GameModel } from '../src/lib/game-model';
import { createdEvents, moveEvents, snapshotAfter } from './fixtures';

/** A page that holds the history of an agent game after `moves` tic-tac-toe moves. */
function pageAfter(moves: { cell: number }[]): GameModel {
  const events = [...createdEvents(), ...moveEvents('tictactoe', moves, 3)];
  const m = initialModel(snapshotAfter([], 0));
  return gameReducer(m, { type: 'events', events });
}
const offer = (seq: number, o: 'draw' | 'takeback' | 'rematch', action: 'offered' | 'accepted' | 'declined' | 'cancelled', seat: 0 | 1): FeedEvent => ({
  seq,
  kind: 'offer',
  data: { offer: o, action, seat },
});

describe('game model: offers, takeback, rematch, presence', () => {
  it('an offer stands until answered, and its answer is remembered for the page to announce', () => {
    let m = pageAfter([{ cell: 4 }, { cell: 0 }]);
    m = gameReducer(m, { type: 'events', events: [offer(5, 'draw', 'offered', 1)], live: true });
    expect(m.game.offers).toEqual({ draw: 1, takeback: null, rematch: null });
    expect(m.game.seq).toBe(5);
    m = gameReducer(m, { type: 'events', events: [offer(6, 'draw', 'declined', 0)], live: true });
    expect(m.game.offers.draw).toBeNull();
    expect(m.lastOffer).toEqual({ offer: 'draw', action: 'declined', seat: 0, seq: 6 });
    expect(m.needsCatchUp).toBe(false);
  });

  it('a move makes a takeback request lapse, and a draw offer when the offerer’s opponent moves', () => {
    // Seat 1 offers a draw and asks for a takeback, then makes its move: the draw offer stands.
    let m = pageAfter([{ cell: 4 }]);
    m = gameReducer(m, { type: 'events', events: [offer(4, 'draw', 'offered', 1), offer(5, 'takeback', 'offered', 1)], live: true });
    expect(m.game.offers).toEqual({ draw: 1, takeback: 1, rematch: null });
    const [, , third] = moveEvents('tictactoe', [{ cell: 4 }, { cell: 0 }, { cell: 8 }], 4);
    const [, second] = moveEvents('tictactoe', [{ cell: 4 }, { cell: 0 }], 4);
    m = gameReducer(m, { type: 'events', events: [{ ...second!, seq: 6 }], live: true });
    expect(m.game.offers).toEqual({ draw: 1, takeback: null, rematch: null });
    // Seat 0 (the offerer's opponent) moves without answering: the offer lapses.
    m = gameReducer(m, { type: 'events', events: [{ ...third!, seq: 7 }], live: true });
    expect(m.game.offers).toEqual({ draw: null, takeback: null, rematch: null });
  });

  it('a takeback takes the undone plies off the move list and restores the position', () => {
    let m = pageAfter([{ cell: 4 }, { cell: 0 }, { cell: 8 }]);
    const before = pageAfter([{ cell: 4 }]);
    const data = { plies: 2, state: before.game.state, turn: 1 as const, moveCount: 1 };
    m = gameReducer(m, { type: 'events', events: [offer(6, 'takeback', 'offered', 0), { seq: 7, kind: 'takeback', data }], live: true });
    expect(m.moves.map((e) => e.label)).toEqual(['b2']);
    expect(m.game.state).toEqual(before.game.state);
    expect(m.game.moveCount).toBe(1);
    expect(m.game.turn).toBe(1);
    expect(m.game.offers.takeback).toBeNull();
  });

  it('the rematch event names the new game; an old event already in the snapshot changes nothing', () => {
    let m = pageAfter([{ cell: 4 }]);
    m = gameReducer(m, { type: 'events', events: [offer(4, 'rematch', 'offered', 0), { seq: 5, kind: 'rematch', data: { gameId: 'g2' } }], live: true });
    expect(m.game.rematchId).toBe('g2');
    expect(m.game.offers.rematch).toBeNull();
    // A reconnecting page whose snapshot is already past these events only folds the history.
    const fresh = initialModel({ ...m.game, offers: { draw: null, takeback: null, rematch: 1 }, seq: 9 });
    const again = gameReducer(fresh, { type: 'events', events: [...createdEvents(), ...moveEvents('tictactoe', [{ cell: 4 }], 3), offer(4, 'rematch', 'offered', 0)] });
    expect(again.game.offers.rematch).toBe(1);
  });

  it('presence keeps the players (with when it arrived) and the spectator count', () => {
    let m = pageAfter([]);
    expect(m.presence).toBeNull();
    const players = [{ playerId: 'p1', online: false, since: '2026-11-30T12:00:00Z' }];
    m = gameReducer(m, { type: 'presence', spectators: 2, players, at: 1000 });
    expect(m.presence).toEqual({ players, at: 1000 });
    // A presence message without players (an older server) keeps what we knew.
    m = gameReducer(m, { type: 'presence', spectators: 3 });
    expect(m.spectators).toBe(3);
    expect(m.presence?.players).toEqual(players);
  });
});
