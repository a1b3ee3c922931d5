import { describe, expect, it } from 'vitest';
import { Connect4Board, Connect4Searcher, C4_WIN, mulberry32 } from '../src/ai/index.js';
import { connect4, type Connect4State } from '../src/games/index.js';

/** Plain minimax over the engine itself (no pruning, no table): +1 / 0 / -1 for the side to move. */
function bruteValue(s: Connect4State): number {
  const out = connect4.outcome(s);
  if (out) return out.winner === null ? 0 : out.winner === s.turn ? 1 : -1;
  let best = -1;
  for (const m of connect4.legalMoves(s)) {
    best = Math.max(best, -bruteValue(connect4.apply(s, m)));
    if (best === 1) break;
  }
  return best;
}

/** Seeded random endgames: random play until `empty` cells remain, not yet decided. */
function endgames(count: number, empty: number, seed: number): Connect4State[] {
  const rng = mulberry32(seed);
  const out: Connect4State[] = [];
  while (out.length < count) {
    let s = connect4.initialState();
    while (!connect4.outcome(s) && 42 - s.moves > empty) {
      const legal = connect4.legalMoves(s);
      s = connect4.apply(s, legal[Math.floor(rng() * legal.length)]!);
    }
    if (!connect4.outcome(s)) out.push(s);
  }
  return out;
}

describe('connect-four search', () => {
  it('alpha-beta with the transposition table agrees with plain minimax on 150 endgames', () => {
    let wins = 0;
    for (const s of endgames(150, 9, 77)) {
      const board = Connect4Board.fromState(s);
      const root = new Connect4Searcher(board, { attack: 1, defence: 1 }, Infinity).searchRoot(42, 0, false);
      const best = Math.max(...root.scores.map((x) => x.score));
      const value = best > C4_WIN - 100 ? 1 : best < -(C4_WIN - 100) ? -1 : 0;
      expect(value).toBe(bruteValue(s) + 0); // + 0 turns -0 into 0
      if (value === 1) wins++;
    }
    expect(wins).toBeGreaterThan(10); // the sample contains real wins, not only draws
  });

  it('leaves the board as it found it after a budget-cut search', () => {
    const s = endgames(1, 30, 5)[0]!;
    const board = Connect4Board.fromState(s);
    const before = { cells: [...board.cells], h: [board.h1, board.h2], lines: [...board.lines] };
    new Connect4Searcher(board, { attack: 1, defence: 1 }, 5000).searchRoot(42, 0);
    expect({ cells: [...board.cells], h: [board.h1, board.h2], lines: [...board.lines] }).toEqual(before);
  });
});
