import { fireEvent, render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { connect4, tictactoe } from '@monkeytown/shared/games';
import { othello } from '@monkeytown/shared/games/othello';
import { Connect4Board } from '../src/components/boards/Connect4Board';
import { OthelloBoard } from '../src/components/boards/OthelloBoard';
import { TicTacToeBoard } from '../src/components/boards/TicTacToeBoard';

// Moving around a board by keyboard alone: the arrows wrap at the edges (so every cell is a
// few presses away), Home and End jump to the ends of a row where a board has them, and a
// key a board does not use is left to the page.
const focused = (attr: string) => document.activeElement?.getAttribute(attr);
const one = (attr: string) => [...document.querySelectorAll('[tabindex="0"]')].map((e) => e.getAttribute(attr));

describe('keyboard moves on the boards', () => {
  it('tic-tac-toe: arrows wrap around the rows and the columns, one tab stop follows the focus', async () => {
    render(<TicTacToeBoard state={tictactoe.initialState()} legalCells={[0, 1, 2, 3, 4, 5, 6, 7, 8]} />);
    await userEvent.tab();
    expect(focused('data-cell')).toBe('0'); // a1, top left
    await userEvent.keyboard('{ArrowLeft}');
    expect(focused('data-cell')).toBe('2'); // c1
    await userEvent.keyboard('{ArrowUp}');
    expect(focused('data-cell')).toBe('8'); // c3
    await userEvent.keyboard('{ArrowDown}{ArrowRight}');
    expect(focused('data-cell')).toBe('0');
    expect(one('data-cell')).toEqual(['0']);
  });

  it('othello: Home and End go to the ends of the row, arrows wrap', async () => {
    const s = othello.initialState();
    render(<OthelloBoard state={s} legalSquares={othello.legalMoves(s).map((m) => m.square)} />);
    await userEvent.tab();
    expect(focused('data-sq')).toBe('d3');
    await userEvent.keyboard('{End}');
    expect(focused('data-sq')).toBe('h3');
    await userEvent.keyboard('{ArrowRight}');
    expect(focused('data-sq')).toBe('a3');
    await userEvent.keyboard('{ArrowUp}{ArrowUp}{ArrowUp}');
    expect(focused('data-sq')).toBe('a8');
    await userEvent.keyboard('{Home}{ArrowLeft}');
    expect(focused('data-sq')).toBe('h8');
    expect(one('data-sq')).toEqual(['h8']);
  });

  it('connect four: Home and End go to the outer columns, arrows wrap, Up and Down are left to the page', async () => {
    render(<Connect4Board state={connect4.initialState()} legalColumns={[0, 1, 2, 3, 4, 5, 6]} />);
    await userEvent.tab();
    expect(focused('data-col')).toBe('3');
    await userEvent.keyboard('{End}');
    expect(focused('data-col')).toBe('6');
    await userEvent.keyboard('{ArrowRight}');
    expect(focused('data-col')).toBe('0');
    await userEvent.keyboard('{ArrowLeft}{Home}{ArrowLeft}');
    expect(focused('data-col')).toBe('6');
    // fireEvent returns false when the board took the key (preventDefault): it must not.
    expect(fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' })).toBe(true);
    expect(fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' })).toBe(true);
    expect(focused('data-col')).toBe('6');
    expect(one('data-col')).toEqual(['6']);
  });
});
