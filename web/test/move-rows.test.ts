import { describe, expect, it } from 'vitest';
import { moveRows, plyNumbers } from '../src/lib/move-rows';
import { shortName, splitTag } from '../src/lib/names';

const plies = (seats: (0 | 1)[]) => seats.map((seat) => ({ seat }));

describe('move numbering', () => {
  it('counts full moves: the 42nd ply is Black\'s 21st move, "21…"', () => {
    const game = plies(Array.from({ length: 42 }, (_, i) => (i % 2) as 0 | 1));
    const numbers = plyNumbers(game);
    expect(numbers[0]).toBe('1.');
    expect(numbers[1]).toBe('1…');
    expect(numbers[40]).toBe('21.');
    expect(numbers[41]).toBe('21…');
    expect(moveRows(game)).toHaveLength(21);
  });

  it('a row the second seat starts (an Othello pass) leaves the first column empty', () => {
    // 0, 1, then 1 again after seat 0 passed, then 0.
    expect(moveRows(plies([0, 1, 1, 0]))).toEqual([
      { no: 1, plies: [0, 1] },
      { no: 2, plies: [null, 2] },
      { no: 3, plies: [3, null] },
    ]);
    expect(plyNumbers(plies([0, 0, 1]))).toEqual(['1.', '2.', '2…']);
  });
});

describe('names in one game', () => {
  it('drop a disambiguation tag nobody in the game needs, keep it when two share the name', () => {
    expect(splitTag('Newbie Nora #09FA')).toEqual({ base: 'Newbie Nora', tag: '#09FA' });
    expect(splitTag('Ada')).toEqual({ base: 'Ada', tag: null });
    expect(shortName('Newbie Nora #09FA', ['Newbie Nora #09FA', 'ChampionChimp'])).toBe('Newbie Nora');
    expect(shortName('Newbie Nora #09FA', ['Newbie Nora #09FA', 'Newbie Nora'])).toBe('Newbie Nora #09FA');
    expect(shortName('Room #1', ['Room #1'])).toBe('Room #1');
  });
});
