import { Connect4Move } from './move.js';
import type { Seat } from '../../schemas/game-basics.js';
import { IllegalMoveError, type GameEngine } from '../types.js';
import { CONNECT4_META } from './meta.js';

/**
 * Connect four on 7 columns x 6 rows with gravity. Cells are row-major with row 0 at the
 * TOP (render order): index = row * 7 + column, so a piece dropped into an empty column
 * lands on row 5. `heights[c]` counts the pieces in column c, which makes a drop O(1).
 * Seat 0 moves first. The result (and winning line) is cached in the state.
 */
export const C4_COLS = 7;
export const C4_ROWS = 6;
export const C4_CELLS = C4_COLS * C4_ROWS;

export interface Connect4State {
  /** 42 cells, row-major from the top-left: owning seat or null. */
  cells: (Seat | null)[];
  /** Pieces per column (0..6). */
  heights: number[];
  turn: Seat;
  moves: number;
  /** Column of the last move, or null at the start (lets the UI animate/highlight). */
  lastColumn: number | null;
  result: { winner: Seat | null; line?: number[] } | null;
}

export const c4Index = (row: number, col: number): number => row * C4_COLS + col;

/** Row where the next piece in `col` lands, given the column height. */
export const c4LandingRow = (height: number): number => C4_ROWS - 1 - height;

// Direction vectors (dRow, dCol): horizontal, vertical, diagonal down-right, diagonal up-right.
const DIRECTIONS: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 0],
  [1, 1],
  [-1, 1],
];

/**
 * The winning line through (row, col) for the piece there, or null. Only lines through
 * the last piece can be new, so checking that one cell is enough after a move. When a
 * drop completes more than four in a row, the whole run is returned.
 */
export function c4LineThrough(cells: readonly (Seat | null)[], row: number, col: number): number[] | null {
  const who = cells[c4Index(row, col)];
  if (who === null || who === undefined) return null;
  for (const [dr, dc] of DIRECTIONS) {
    const line = [c4Index(row, col)];
    for (const sign of [1, -1]) {
      let r = row + dr * sign;
      let c = col + dc * sign;
      while (r >= 0 && r < C4_ROWS && c >= 0 && c < C4_COLS && cells[c4Index(r, c)] === who) {
        line.push(c4Index(r, c));
        r += dr * sign;
        c += dc * sign;
      }
    }
    if (line.length >= 4) return line.sort((a, b) => a - b);
  }
  return null;
}

/** Scan the whole board for a winner (used by tests and for states built by hand). */
export function c4FindWinner(cells: readonly (Seat | null)[]): { winner: Seat; line: number[] } | null {
  for (let r = 0; r < C4_ROWS; r++) {
    for (let c = 0; c < C4_COLS; c++) {
      const line = c4LineThrough(cells, r, c);
      if (line) return { winner: cells[c4Index(r, c)] as Seat, line };
    }
  }
  return null;
}

export const connect4: GameEngine<Connect4State, Connect4Move> = {
  type: 'connect4',
  meta: CONNECT4_META,
  moveSchema: Connect4Move,

  initialState() {
    return {
      cells: Array<Seat | null>(C4_CELLS).fill(null),
      heights: Array<number>(C4_COLS).fill(0),
      turn: 0,
      moves: 0,
      lastColumn: null,
      result: null,
    };
  },

  turn(state) {
    return state.turn;
  },

  legalMoves(state) {
    if (state.result) return [];
    const out: Connect4Move[] = [];
    for (let c = 0; c < C4_COLS; c++) if ((state.heights[c] ?? C4_ROWS) < C4_ROWS) out.push({ column: c });
    return out;
  },

  illegalReason(state, move) {
    if (state.result) return 'the game is over';
    const col = (move as { column?: unknown } | null)?.column;
    if (typeof col !== 'number' || !Number.isInteger(col) || col < 0 || col >= C4_COLS) {
      return 'column must be an integer from 0 to 6';
    }
    if ((state.heights[col] ?? C4_ROWS) >= C4_ROWS) return `column ${col + 1} is full`;
    return null;
  },

  apply(state, move) {
    const why = connect4.illegalReason(state, move);
    if (why) throw new IllegalMoveError(why);
    const col = move.column;
    const height = state.heights[col] as number;
    const row = c4LandingRow(height);
    const cells = state.cells.slice();
    cells[c4Index(row, col)] = state.turn;
    const heights = state.heights.slice();
    heights[col] = height + 1;
    const moves = state.moves + 1;
    const line = c4LineThrough(cells, row, col);
    const result = line ? { winner: state.turn, line } : moves === C4_CELLS ? { winner: null } : null;
    return { cells, heights, turn: (1 - state.turn) as Seat, moves, lastColumn: col, result };
  },

  outcome(state) {
    if (!state.result) return null;
    return { ...state.result, detail: state.result.winner === null ? 'a full board' : 'four in a row' };
  },

  publicView(state) {
    return state;
  },

  canStillWin: () => true,
  record: null,

  /** Columns are shown 1-based to people ("col 4" is the centre). */
  describeMove(_state, move) {
    return `col ${move.column + 1}`;
  },
};
