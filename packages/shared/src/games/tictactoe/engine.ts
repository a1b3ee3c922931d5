import { TicTacToeMove } from './move.js';
import type { Seat } from '../../schemas/game-basics.js';
import { IllegalMoveError, type GameEngine } from '../types.js';
import { TICTACTOE_META } from './meta.js';

/**
 * Tic-tac-toe. Cells 0..8 are row-major from the top-left corner; seat 0 plays X and
 * moves first. The result is cached in the state so `outcome` is O(1) and the winning
 * line travels with the public state (the UI highlights it).
 */
export interface TicTacToeState {
  /** 9 cells, row-major from top-left: the seat that owns the cell, or null. */
  cells: (Seat | null)[];
  /** Seat to move (meaningless once `result` is set). */
  turn: Seat;
  /** Number of moves played. */
  moves: number;
  /** Set once the game is over: winner (null = draw) and winning cells. */
  result: { winner: Seat | null; line?: number[] } | null;
}

/** The eight winning lines, as cell indices. */
export const TTT_LINES: readonly (readonly [number, number, number])[] = [
  [0, 1, 2], [3, 4, 5], [6, 7, 8], // rows
  [0, 3, 6], [1, 4, 7], [2, 5, 8], // columns
  [0, 4, 8], [2, 4, 6], // diagonals
];

/** Winner and line of a board, if any (pure helper, also used by the AI). */
export function tttWinner(cells: readonly (Seat | null)[]): { winner: Seat; line: number[] } | null {
  for (const [a, b, c] of TTT_LINES) {
    const v = cells[a];
    if (v !== null && v !== undefined && v === cells[b] && v === cells[c]) return { winner: v, line: [a, b, c] };
  }
  return null;
}

/** "a1".."c3": column letter a..c (left to right), row number 1..3 (top to bottom). */
export function tttCellName(cell: number): string {
  return `${'abc'[cell % 3]}${Math.floor(cell / 3) + 1}`;
}

export const tictactoe: GameEngine<TicTacToeState, TicTacToeMove> = {
  type: 'tictactoe',
  meta: TICTACTOE_META,
  moveSchema: TicTacToeMove,

  initialState() {
    return { cells: Array<Seat | null>(9).fill(null), turn: 0, moves: 0, result: null };
  },

  turn(state) {
    return state.turn;
  },

  legalMoves(state) {
    if (state.result) return [];
    const out: TicTacToeMove[] = [];
    for (let i = 0; i < 9; i++) if (state.cells[i] === null) out.push({ cell: i });
    return out;
  },

  illegalReason(state, move) {
    if (state.result) return 'the game is over';
    const cell = (move as { cell?: unknown } | null)?.cell;
    if (typeof cell !== 'number' || !Number.isInteger(cell) || cell < 0 || cell > 8) {
      return 'cell must be an integer from 0 to 8';
    }
    if (state.cells[cell] !== null) return `cell ${tttCellName(cell)} is already taken`;
    return null;
  },

  apply(state, move) {
    const why = tictactoe.illegalReason(state, move);
    if (why) throw new IllegalMoveError(why);
    const cells = state.cells.slice();
    cells[move.cell] = state.turn;
    const moves = state.moves + 1;
    const win = tttWinner(cells);
    const result = win ? { winner: win.winner, line: win.line } : moves === 9 ? { winner: null } : null;
    return { cells, turn: (1 - state.turn) as Seat, moves, result };
  },

  outcome(state) {
    if (!state.result) return null;
    return { ...state.result, detail: state.result.winner === null ? 'a full board' : 'three in a row' };
  },

  publicView(state) {
    return state;
  },

  canStillWin: () => true,
  record: null,

  describeMove(_state, move) {
    return tttCellName(move.cell);
  },
};
