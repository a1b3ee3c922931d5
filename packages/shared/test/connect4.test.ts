import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { C4_COLS, C4_ROWS, c4FindWinner, c4Index, connect4, IllegalMoveError, type Connect4State } from '../src/games/index.js';

const play = (cols: number[], from = connect4.initialState()): Connect4State =>
  cols.reduce((s, column) => connect4.apply(s, { column }), from);

// Filling columns in this order, six times over, fills the board without a four.
const DRAW = Array.from({ length: 6 }, () => [0, 3, 6, 2, 5, 1, 4]).flat();

describe('connect-four engine', () => {
  it('starts with an empty 7x6 board, seat 0 to move, seven legal columns', () => {
    const s = connect4.initialState();
    expect(s.cells).toHaveLength(42);
    expect(s.heights).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(connect4.turn(s)).toBe(0);
    expect(connect4.legalMoves(s).map((m) => m.column)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('applies gravity: pieces stack from the bottom row (row 5) upwards', () => {
    const s = play([3, 3, 3]);
    expect(s.cells[c4Index(5, 3)]).toBe(0);
    expect(s.cells[c4Index(4, 3)]).toBe(1);
    expect(s.cells[c4Index(3, 3)]).toBe(0);
    expect(s.cells[c4Index(2, 3)]).toBeNull();
    expect(s.heights[3]).toBe(3);
    expect(s.lastColumn).toBe(3);
  });

  it('refuses a full column with a reason', () => {
    const s = play([3, 3, 3, 3, 3, 3]);
    expect(connect4.illegalReason(s, { column: 3 })).toBe('column 4 is full');
    expect(() => connect4.apply(s, { column: 3 })).toThrow(IllegalMoveError);
    expect(connect4.legalMoves(s).map((m) => m.column)).toEqual([0, 1, 2, 4, 5, 6]);
  });

  it('refuses malformed columns and moves after the end', () => {
    const s = connect4.initialState();
    expect(connect4.illegalReason(s, { column: 7 })).toMatch(/0 to 6/);
    expect(connect4.illegalReason(s, { column: -1 })).toMatch(/0 to 6/);
    expect(connect4.illegalReason(s, { column: 2.5 })).toMatch(/integer/);
    expect(connect4.illegalReason(s, null as never)).toMatch(/integer/);
    const over = play([0, 1, 0, 1, 0, 1, 0]);
    expect(connect4.illegalReason(over, { column: 2 })).toBe('the game is over');
    expect(() => connect4.apply(over, { column: 2 })).toThrow('the game is over');
  });

  it('detects a horizontal win', () => {
    const s = play([0, 0, 1, 1, 2, 2, 3]);
    expect(connect4.outcome(s)).toEqual({ winner: 0, line: [35, 36, 37, 38], detail: 'four in a row' });
  });

  it('detects a vertical win', () => {
    const s = play([6, 0, 6, 0, 6, 0, 6]);
    expect(connect4.outcome(s)).toEqual({ winner: 0, line: [c4Index(2, 6), c4Index(3, 6), c4Index(4, 6), c4Index(5, 6)], detail: 'four in a row' });
  });

  it('detects a rising diagonal win (bottom-left to top-right)', () => {
    // X at (5,0) (4,1) (3,2) (2,3)
    const s = play([0, 1, 1, 2, 2, 3, 2, 3, 3, 6, 3]);
    expect(connect4.outcome(s)).toEqual({ winner: 0, line: [c4Index(2, 3), c4Index(3, 2), c4Index(4, 1), c4Index(5, 0)].sort((a, b) => a - b), detail: 'four in a row' });
  });

  it('detects a falling diagonal win (top-left to bottom-right) for seat 1', () => {
    // O at (row 2, col 0) (3,1) (4,2) (5,3); X never has four
    const s = play([2, 3, 1, 2, 1, 1, 0, 0, 0, 0]);
    expect(connect4.outcome(s)?.winner).toBe(1);
    expect(connect4.outcome(s)?.detail).toBe('four in a row');
    expect(connect4.outcome(s)?.line).toEqual([c4Index(2, 0), c4Index(3, 1), c4Index(4, 2), c4Index(5, 3)]);
  });

  it('reports every cell of a five-in-a-row made by one drop', () => {
    const s = play([0, 0, 1, 1, 3, 3, 4, 4, 2]);
    expect(connect4.outcome(s)).toEqual({ winner: 0, line: [35, 36, 37, 38, 39], detail: 'four in a row' });
  });

  it('detects a draw on a full board', () => {
    const s = play(DRAW);
    expect(s.moves).toBe(42);
    expect(connect4.outcome(s)).toEqual({ winner: null, detail: 'a full board' });
    expect(connect4.legalMoves(s)).toEqual([]);
    expect(c4FindWinner(s.cells)).toBeNull();
  });

  it('describes columns 1-based', () => {
    expect(connect4.describeMove(connect4.initialState(), { column: 3 })).toBe('col 4');
  });

  it('property: random play keeps gravity and counts consistent; every legal move applies', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 42, maxLength: 42 }), (picks) => {
        let s = connect4.initialState();
        for (const pick of picks) {
          const legal = connect4.legalMoves(s);
          if (connect4.outcome(s)) {
            expect(legal).toEqual([]);
            expect(connect4.illegalReason(s, { column: pick % 7 })).toBe('the game is over');
            break;
          }
          const legalCols = legal.map((m) => m.column);
          const notFull = [0, 1, 2, 3, 4, 5, 6].filter((c) => s.heights[c]! < C4_ROWS);
          expect(legalCols).toEqual(notFull);
          expect(legalCols.every((column) => connect4.illegalReason(s, { column }) === null)).toBe(true);
          const next = connect4.apply(s, legal[pick % legal.length]!);
          // gravity: each column is filled exactly from the bottom up to its height
          let gravityOk = true;
          for (let c = 0; c < C4_COLS; c++) {
            for (let r = 0; r < C4_ROWS; r++) {
              const filled = next.cells[c4Index(r, c)] !== null;
              if (filled !== r >= C4_ROWS - next.heights[c]!) gravityOk = false;
            }
          }
          expect(gravityOk).toBe(true);
          const p0 = next.cells.filter((x) => x === 0).length;
          const p1 = next.cells.filter((x) => x === 1).length;
          expect(p0 + p1).toBe(next.moves);
          expect(p0 - p1 === 0 || p0 - p1 === 1).toBe(true);
          expect(next.turn).toBe(1 - s.turn);
          // the cached result agrees with a scan of the whole board
          const w = c4FindWinner(next.cells);
          expect(next.result?.winner ?? null).toBe(w ? w.winner : null);
          if (!w) expect(next.result === null).toBe(next.moves < 42);
          s = next;
        }
      }),
      { numRuns: 200 },
    );
  });
});
