// What a player may queue as a premove while the opponent is to move.
import { describe, expect, it } from 'vitest';
import { chess, connect4, tictactoe, type ChessState } from '@monkeytown/shared/games';
import { premoveTargets } from '../src/lib/premove/targets';

const ucis = (moves: unknown[]) => (moves as { uci: string }[]).map((m) => m.uci);

describe('premoveTargets', () => {
  it('chess: after 1. e4 White may queue its own moves, pawn steps onto squares that may fill, never an en passant', () => {
    const s = chess.apply(chess.initialState(), { uci: 'e2e4' }) as ChessState;
    const white = ucis(premoveTargets('chess', s, 0));
    expect(white).toEqual(expect.arrayContaining(['e4e5', 'g1f3', 'f1c4', 'd1h5', 'd2d4', 'd2e3', 'a2b3']));
    expect(white.every((u) => /^[a-h][1-8][a-h][1-8][qrbn]?$/.test(u))).toBe(true);
    // Black, to move, gets none of White's squares (and its own only when it waits).
    const black = ucis(premoveTargets('chess', chess.apply(s, { uci: 'e7e5' }) as ChessState, 1));
    expect(black).toEqual(expect.arrayContaining(['g8f6', 'd7d5', 'd7e6']));
    expect(black.some((u) => u.startsWith('e2'))).toBe(false);
  });

  it('tic-tac-toe and connect four: an empty cell, a column with room', () => {
    const t = tictactoe.apply(tictactoe.initialState(), { cell: 4 });
    expect(premoveTargets('tictactoe', t, 0)).toHaveLength(8);
    let c = connect4.initialState();
    for (let i = 0; i < 6; i++) c = connect4.apply(c, { column: 3 });
    expect(premoveTargets('connect4', c, 1).map((m) => (m as { column: number }).column)).toEqual([0, 1, 2, 4, 5, 6]);
  });
});
