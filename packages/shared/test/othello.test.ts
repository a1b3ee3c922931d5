import { describe, expect, it } from 'vitest';
import { getEngine, IllegalMoveError } from '../src/games/index.js';
import { othello, othelloStart, parseSquare, squareName, type OthelloState } from '../src/games/othello/index.js';
import { Move } from '../src/schemas/games.js';
import type { OthelloMove } from '../src/games/othello/move.js';

const play = (state: OthelloState, ...squares: string[]) => squares.reduce((s, square) => othello.apply(s, { square }), state);
const names = (s: OthelloState) => othello.legalMoves(s).map((m) => m.square);

/** Leaf count `depth` plies from `s`; a forced pass counts as a ply, a finished game has no moves. */
function perft(s: OthelloState, depth: number): number {
  if (depth === 0) return 1;
  const moves = othello.legalMoves(s);
  if (depth === 1) return moves.length;
  let n = 0;
  for (const m of moves) n += perft(othello.apply(s, m), depth - 1);
  return n;
}

/** A board from 8 strings, row 1 first: B black, W white, . empty. */
function board(rows: string[], turn: 0 | 1): OthelloState {
  const cells = rows.join('').split('').map((ch) => (ch === 'B' ? 0 : ch === 'W' ? 1 : null));
  const discs: [number, number] = [cells.filter((c) => c === 0).length, cells.filter((c) => c === 1).length];
  return { cells, turn, moves: 20, last: null, discs, result: null };
}

describe('othello engine', () => {
  it('starts with the standard four discs, Black to move with d3, c4, f5, e6', () => {
    const s = othello.initialState();
    expect(s.cells[parseSquare('d4')!]).toBe(1);
    expect(s.cells[parseSquare('e5')!]).toBe(1);
    expect(s.cells[parseSquare('d5')!]).toBe(0);
    expect(s.cells[parseSquare('e4')!]).toBe(0);
    expect(othello.turn(s)).toBe(0);
    expect(names(s).sort()).toEqual(['c4', 'd3', 'e6', 'f5']);
    expect(othello.meta.seats).toEqual(['Black', 'White']);
    expect(getEngine('othello')).toBe(othello);
  });

  it('flips the outflanked discs and records them for the board to animate', () => {
    const s = play(othelloStart(), 'd3');
    expect(s.cells[parseSquare('d4')!]).toBe(0);
    expect(s.discs).toEqual([4, 1]);
    expect(s.last).toEqual({ seat: 0, square: parseSquare('d3'), flipped: [parseSquare('d4')] });
    expect(othello.turn(s)).toBe(1);
  });

  it('flips in every direction that outflanks, and only up to the first own disc', () => {
    // Black plays d4: west (c4, b4 then Black a4), north-east (e3 then Black f2),
    // south (d5, d6 then Black d7). East (e4, f4) runs into an empty square: no flip.
    const s = board(['........', '.....B..', '....W...', 'BWW.WW..', '...W....', '...W....', '...B....', '........'], 0);
    const after = othello.apply(s, { square: 'd4' });
    expect(after.last?.flipped.map(squareName).sort()).toEqual(['b4', 'c4', 'd5', 'd6', 'e3']);
    expect(after.cells[parseSquare('e4')!]).toBe(1);
    expect(after.discs).toEqual([9, 2]);
  });

  it('refuses moves that flip nothing, taken squares, passes while a move exists, and bad notation, changing nothing', () => {
    const s = othelloStart();
    expect(othello.illegalReason(s, { square: 'a1' })).toBe('a1 does not outflank any disc');
    expect(othello.illegalReason(s, { square: 'd4' })).toBe('d4 is already taken');
    expect(othello.illegalReason(s, { square: 'pass' })).toBe('you can only pass when you have no legal move');
    expect(othello.illegalReason(s, { square: 'z9' } as OthelloMove)).toMatch(/square like "d3"/);
    expect(() => othello.apply(s, { square: 'a1' })).toThrow(IllegalMoveError);
    expect(s).toEqual(othelloStart());
    expect(Move.safeParse({ square: 'i9' }).success).toBe(false);
    expect(Move.safeParse({ square: 'h8' }).success).toBe(true);
    expect(Move.safeParse({ square: 'pass' }).success).toBe(true);
  });

  it('a side with no move must pass, explicitly; the pass is a move in the list; a wipe-out ends the game', () => {
    // White's only disc c1 sits on the edge behind Black's a1, b1: nothing to outflank.
    const s = board(['BBW.....', '........', '........', '........', '........', '........', '........', '........'], 1);
    expect(othello.legalMoves(s)).toEqual([{ square: 'pass' }]);
    expect(othello.illegalReason(s, { square: 'd1' })).toBe('d1 does not outflank any disc');
    const after = othello.apply(s, { square: 'pass' });
    expect(after.turn).toBe(0);
    expect(after.last).toEqual({ seat: 1, square: null, flipped: [] });
    expect(othello.describeMove(s, { square: 'pass' })).toBe('pass');
    expect(after.result).toBeNull();
    expect(names(after)).toEqual(['d1']);
    // Black takes the last white disc: neither side can move, Black wins with empties left.
    const end = othello.apply(after, { square: 'd1' });
    expect(othello.outcome(end)).toEqual({ winner: 0, detail: 'more discs (4–0)' });
    expect(othello.legalMoves(end)).toEqual([]);
    expect(othello.illegalReason(end, { square: 'pass' })).toBe('the game is over');
  });

  it('equal discs at the end is a draw', () => {
    // Black fills h8, flipping g8: 32 discs each.
    const s = board(['WWWWWWWW', 'WWWWWWWW', 'WWWWWWWW', 'WWWWWWWW', 'BBBBBBBB', 'BBBBBBBB', 'BBBBBBBB', 'BBBBBBW.'], 0);
    expect(names(s)).toEqual(['h8']);
    const end = othello.apply(s, { square: 'h8' });
    expect(end.discs).toEqual([32, 32]);
    expect(othello.outcome(end)).toEqual({ winner: null, detail: 'equal discs (32–32)' });
  });

  it('a whole game of first legal moves ends with a result consistent with the discs', () => {
    let s = othelloStart();
    let passes = 0;
    while (!othello.outcome(s)) {
      const m = othello.legalMoves(s)[0]!;
      if (m.square === 'pass') passes++;
      s = othello.apply(s, m);
    }
    const [b, w] = s.discs;
    expect(othello.outcome(s)?.winner).toBe(b > w ? 0 : w > b ? 1 : null);
    expect(s.moves).toBe(b + w - 4 + passes);
  });

  // Published perft counts of Othello from the start (passes counted as a ply).
  it.each([
    [1, 4],
    [2, 12],
    [3, 56],
    [4, 244],
    [5, 1396],
    [6, 8200],
  ])('perft(%i) = %i', (depth, count) => {
    expect(perft(othelloStart(), depth)).toBe(count);
  });

  it('perft(7) = 55092 and perft(8) = 390216', { timeout: 60_000 }, () => {
    expect(perft(othelloStart(), 7)).toBe(55092);
    expect(perft(othelloStart(), 8)).toBe(390216);
  });

  // Depth 9 is the first where games end (a wipe-out at ply 9): it checks the convention
  // that a finished game has no moves, not even a pass. About 2 s.
  it('perft(9) = 3005288', { timeout: 60_000 }, () => {
    expect(perft(othelloStart(), 9)).toBe(3005288);
  });
});
