import { describe, expect, it } from 'vitest';
import { chooseMove } from '../src/ai/index.js';
import { connect4, type Connect4State } from '../src/games/index.js';

const c4 = (cols: number[]): Connect4State => cols.reduce((s, column) => connect4.apply(s, { column }), connect4.initialState());

// Positions found by random play from seeded games (no immediate win for the side to move).
describe("ChampionChimp's connect-four reasons say what the search saw", () => {
  it('a forced win is named with its length', () => {
    const cases = [
      { moves: [0, 3, 6, 6, 1, 4, 5, 2, 6, 3, 3, 0, 2, 1], column: 4, n: 4 },
      { moves: [1, 3, 0, 0, 5, 0, 0, 6, 1, 1, 5, 6, 0, 3, 1, 2, 4, 4, 6], column: 4, n: 5 },
    ];
    for (const { moves, column, n } of cases) {
      const r = chooseMove({ type: 'connect4', state: c4(moves), agentId: 'championchimp', seed: 1 });
      expect(r.move).toEqual({ column });
      expect(r.reasonCode).toBe('forced-win');
      expect(r.reason).toBe(`sees a win in ${n}, starting in column ${column + 1}`);
    }
  });

  it('a double threat says how soon it wins', () => {
    const r = chooseMove({ type: 'connect4', state: c4([2, 2, 3, 3]), agentId: 'championchimp', seed: 1 });
    expect(r.reasonCode).toBe('double-threat');
    expect(r.reason).toMatch(/double threat: two ways to win, a win in 2$/);
  });

  it('a single block names the threat by its column, and the outlook in its own words', () => {
    const cases = [
      { moves: [2, 1, 3, 6, 4, 3, 2, 5, 0, 5, 1, 2, 5, 4, 0, 4], threat: 6, text: /^blocks your three along row 2 at column 7/ },
      { moves: [0, 4, 6, 1, 0, 4, 4, 3, 5, 0], threat: 2, text: /^blocks your three along the bottom row at column 3 — I'm worse here/ },
      { moves: [2, 2, 3, 1, 4, 6, 2, 0, 2], threat: 5, text: /^blocks your three along the bottom row at column 6/ },
      { moves: [4, 3, 1, 5, 3, 5, 1, 0, 3, 2, 3], threat: 3, text: /^blocks your three in column 4/ },
    ];
    for (const { moves, threat, text } of cases) {
      const r = chooseMove({ type: 'connect4', state: c4(moves), agentId: 'championchimp', seed: 1 });
      expect(r.move).toEqual({ column: threat });
      expect(r.reasonCode).toBe('block');
      expect(r.reason).toMatch(text);
    }
  });

  it('each monkey voices the same worse position in its own words', () => {
    const s = c4([0, 4, 6, 1, 0, 4, 4, 3, 5, 0]);
    const reasons = (['championchimp', 'strategistape', 'guardiangorilla', 'mentororangutan'] as const).map(
      (agentId) => chooseMove({ type: 'connect4', state: s, agentId, seed: 1 }).reason,
    );
    expect(new Set(reasons).size).toBe(reasons.length);
    expect(reasons[0]).toMatch(/I'm worse here, for now$/);
    expect(reasons[1]).toMatch(/I'm worse here: time to regroup$/);
    expect(reasons[2]).toMatch(/^stands guard and blocks .* holding the wall$/);
    expect(reasons[3]).toMatch(/lesson: /);
  });
});
