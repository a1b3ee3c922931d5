import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IllegalMoveError, tictactoe, tttWinner, type TicTacToeState } from '../src/games/index.js';

const play = (cells: number[]): TicTacToeState => cells.reduce((s, cell) => tictactoe.apply(s, { cell }), tictactoe.initialState());

describe('tic-tac-toe engine', () => {
  it('starts empty with X (seat 0) to move and nine legal moves', () => {
    const s = tictactoe.initialState();
    expect(s.cells).toEqual(Array(9).fill(null));
    expect(tictactoe.turn(s)).toBe(0);
    expect(tictactoe.legalMoves(s)).toHaveLength(9);
    expect(tictactoe.outcome(s)).toBeNull();
  });

  it('alternates turns and places marks row-major', () => {
    const s = play([4, 0]);
    expect(s.cells[4]).toBe(0);
    expect(s.cells[0]).toBe(1);
    expect(tictactoe.turn(s)).toBe(0);
    expect(tictactoe.legalMoves(s).map((m) => m.cell)).toEqual([1, 2, 3, 5, 6, 7, 8]);
  });

  it.each([
    ['top row', [0, 3, 1, 4, 2], [0, 1, 2]],
    ['middle column', [1, 0, 4, 2, 7], [1, 4, 7]],
    ['diagonal', [0, 1, 4, 2, 8], [0, 4, 8]],
    ['anti-diagonal', [2, 0, 4, 1, 6], [2, 4, 6]],
  ])('detects a win on the %s with its line', (_name, moves, line) => {
    const s = play(moves);
    expect(tictactoe.outcome(s)).toEqual({ winner: 0, line, detail: 'three in a row' });
    expect(tictactoe.legalMoves(s)).toEqual([]);
  });

  it('detects a win for O', () => {
    expect(tictactoe.outcome(play([0, 3, 1, 4, 8, 5]))).toEqual({ winner: 1, line: [3, 4, 5], detail: 'three in a row' });
  });

  it('detects a draw on a full board', () => {
    const s = play([0, 1, 2, 4, 3, 5, 7, 6, 8]);
    expect(tictactoe.outcome(s)).toEqual({ winner: null, detail: 'a full board' });
  });

  it('gives reasons for illegal moves and throws IllegalMoveError on apply', () => {
    const s = play([4]);
    expect(tictactoe.illegalReason(s, { cell: 4 })).toBe('cell b2 is already taken');
    expect(() => tictactoe.apply(s, { cell: 4 })).toThrow(IllegalMoveError);
    expect(tictactoe.illegalReason(s, { cell: 9 })).toMatch(/0 to 8/);
    expect(tictactoe.illegalReason(s, { cell: 1.5 })).toMatch(/integer/);
    expect(tictactoe.illegalReason(s, {} as never)).toMatch(/integer/);
    const over = play([0, 3, 1, 4, 2]);
    expect(tictactoe.illegalReason(over, { cell: 8 })).toBe('the game is over');
    expect(() => tictactoe.apply(over, { cell: 8 })).toThrow('the game is over');
  });

  it('does not mutate the state it is given (pure)', () => {
    const s = play([4]);
    const copy = JSON.parse(JSON.stringify(s));
    tictactoe.apply(s, { cell: 0 });
    expect(s).toEqual(copy);
  });

  it('describes moves as a1..c3 (column letter, row from the top)', () => {
    const s = tictactoe.initialState();
    expect([0, 4, 8, 5].map((cell) => tictactoe.describeMove(s, { cell }))).toEqual(['a1', 'b2', 'c3', 'c2']);
  });

  it('validates moves with its zod schema', () => {
    expect(tictactoe.moveSchema.safeParse({ cell: 3 }).success).toBe(true);
    expect(tictactoe.moveSchema.safeParse({ cell: 9 }).success).toBe(false);
    expect(tictactoe.moveSchema.safeParse({ cell: 1, extra: 1 }).success).toBe(false);
  });

  it('property: random play only reaches consistent states and every legal move applies', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 9, maxLength: 9 }), (picks) => {
        let s = tictactoe.initialState();
        for (const pick of picks) {
          const legal = tictactoe.legalMoves(s);
          if (tictactoe.outcome(s)) {
            expect(legal).toEqual([]);
            break;
          }
          for (const m of legal) expect(tictactoe.illegalReason(s, m)).toBeNull();
          const move = legal[pick % legal.length]!;
          const next = tictactoe.apply(s, move);
          // invariants: one more mark, turn alternates, X count = O count or +1
          const xs = next.cells.filter((c) => c === 0).length;
          const os = next.cells.filter((c) => c === 1).length;
          expect(xs + os).toBe(next.moves);
          expect(xs - os === 0 || xs - os === 1).toBe(true);
          expect(next.turn).toBe(1 - s.turn);
          // the cached result agrees with a full scan
          const w = tttWinner(next.cells);
          expect(next.result?.winner ?? null).toBe(w ? w.winner : null);
          if (!w) expect(next.result === null).toBe(next.moves < 9);
          s = next;
        }
        expect(JSON.parse(JSON.stringify(s))).toEqual(s); // JSON-plain
      }),
      { numRuns: 300 },
    );
  });
});
