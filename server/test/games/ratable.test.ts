import { describe, expect, it } from 'vitest';
import { ResultReason, type GameResult } from '@monkeytown/shared';
import { glickoGame, GLICKO_DEFAULTS, isProvisional, MIN_RATED_MOVES, ratable } from '../../src/games/ratings.js';

// The one rule every finishing path asks (resign, the move path, flags, offers, claims):
// rated only when the game was created rated, has two players, and both sides moved.

const row = (moveCount: number, over: Partial<Parameters<typeof ratable>[0]> = {}) =>
  ({ rated: true, player0_id: 'a', player1_id: 'b', move_count: moveCount, ...over });
const result = (reason: GameResult['reason']): GameResult => ({ winner: reason === 'resign' ? 0 : null, reason });

describe('ratable: which finished games move ratings', () => {
  it.each(ResultReason.options)('%s: unrated before both sides moved (0 or 1 move)', (reason) => {
    expect(MIN_RATED_MOVES).toBe(2);
    for (const n of [0, 1]) expect(ratable(row(n), result(reason))).toBe(false);
  });

  it('rated after two moves for the endings a game is decided by; never for aborted or abandoned', () => {
    const rated = ResultReason.options.filter((r) => ratable(row(2), result(r)));
    expect(rated.sort()).toEqual(['agreement', 'draw', 'left', 'resign', 'timeout', 'win']);
    expect(ratable(row(40), result('abandoned'))).toBe(false);
    expect(ratable(row(40), result('aborted'))).toBe(false);
  });

  it('never for a game created unrated or with a seat empty', () => {
    expect(ratable(row(9, { rated: false }), result('win'))).toBe(false);
    expect(ratable(row(9, { player1_id: null }), result('win'))).toBe(false);
  });
});

describe('Glicko-2 parameters and the provisional rule', () => {
  it('two newcomers: the winner 1500 → 1662, the loser 1500 → 1338; a draw moves neither rating', () => {
    const fresh = { rating: GLICKO_DEFAULTS.rating, rd: GLICKO_DEFAULTS.rd, vol: GLICKO_DEFAULTS.vol };
    const [w, l] = glickoGame(fresh, fresh, 0);
    expect([Math.round(w.rating), Math.round(l.rating)]).toEqual([1662, 1338]);
    expect(w.rd).toBeLessThan(350);
    const [d0, d1] = glickoGame(fresh, fresh, null);
    expect([Math.round(d0.rating), Math.round(d1.rating)]).toEqual([1500, 1500]);
  });

  it('provisional while RD > 110 (a missing rating row is a newcomer at RD 350)', () => {
    expect(isProvisional(350)).toBe(true);
    expect(isProvisional(110.01)).toBe(true);
    expect(isProvisional(110)).toBe(false);
    expect(isProvisional(60)).toBe(false);
    expect(isProvisional(null)).toBe(true);
  });
});
