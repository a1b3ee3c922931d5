import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { connect4, tictactoe, type Connect4State, type TicTacToeState } from '@monkeytown/shared/games';
import { Connect4Board } from '../src/components/boards/Connect4Board';
import { TicTacToeBoard } from '../src/components/boards/TicTacToeBoard';

function tttAfter(cells: number[]): TicTacToeState {
  return cells.reduce((s, cell) => tictactoe.apply(s, { cell }), tictactoe.initialState());
}

describe('TicTacToeBoard', () => {
  it('draws marks and marks only the legal cells as playable', () => {
    const state = tttAfter([4, 0]);
    render(<TicTacToeBoard state={state} legalCells={tictactoe.legalMoves(state).map((m) => m.cell)} />);
    expect(screen.getByRole('button', { name: 'b2: X' })).toHaveProperty('textContent', 'X');
    expect(screen.getByRole('button', { name: 'a1: O' })).toHaveProperty('textContent', 'O');
    const playable = screen.getAllByRole('button', { name: /play here/ });
    expect(playable).toHaveLength(7);
    expect(screen.getByRole('button', { name: 'b2: X' }).getAttribute('aria-disabled')).toBe('true');
  });

  it('plays a legal cell on click and ignores taken cells', async () => {
    const onPlay = vi.fn();
    const state = tttAfter([4]);
    render(<TicTacToeBoard state={state} legalCells={[0, 1, 2, 3, 5, 6, 7, 8]} onPlay={onPlay} />);
    await userEvent.click(screen.getByRole('button', { name: 'b2: X' }));
    expect(onPlay).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'c3: empty, play here' }));
    expect(onPlay).toHaveBeenCalledWith(8);
  });

  it('is playable from the keyboard: arrows move, Enter plays', async () => {
    const onPlay = vi.fn();
    const state = tictactoe.initialState();
    render(<TicTacToeBoard state={state} legalCells={[0, 1, 2, 3, 4, 5, 6, 7, 8]} onPlay={onPlay} />);
    await userEvent.tab(); // roving tabindex: one tab stop for the whole board
    expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^a1/);
    await userEvent.keyboard('{ArrowRight}{ArrowDown}{Enter}');
    expect(onPlay).toHaveBeenCalledWith(4);
  });

  it('offers nothing to play when it is not your turn', () => {
    render(<TicTacToeBoard state={tictactoe.initialState()} legalCells={[]} />);
    expect(screen.queryAllByRole('button', { name: /play here/ })).toHaveLength(0);
  });

  it('highlights the winning line', () => {
    const state = tttAfter([0, 3, 1, 4, 2]);
    const { container } = render(<TicTacToeBoard state={state} legalCells={[]} winLine={state.result?.line} />);
    const win = [...container.querySelectorAll('[data-win]')].map((e) => e.getAttribute('data-cell'));
    expect(win).toEqual(['0', '1', '2']);
  });
});

describe('Connect4Board', () => {
  function c4After(cols: number[]): Connect4State {
    return cols.reduce((s, column) => connect4.apply(s, { column }), connect4.initialState());
  }

  it('drops into a column on click, and full columns are not offered', async () => {
    const onPlay = vi.fn();
    const state = c4After([0, 0, 0, 0, 0, 0]); // column 1 full
    const legal = connect4.legalMoves(state).map((m) => m.column);
    render(<Connect4Board state={state} legalColumns={legal} onPlay={onPlay} />);
    const full = screen.getByRole('button', { name: 'Column 1: 0 free' });
    await userEvent.click(full);
    expect(onPlay).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Column 4: 6 free, drop here' }));
    expect(onPlay).toHaveBeenCalledWith(3);
  });

  it('draws discs bottom-up and marks the last one', () => {
    const state = c4After([3, 3]);
    const { container } = render(<Connect4Board state={state} legalColumns={[]} />);
    const col = container.querySelector('[data-col="3"]')!;
    const owners = [...col.querySelectorAll('.c4-slot')].map((s) => s.getAttribute('data-owner'));
    expect(owners).toEqual([null, null, null, null, '1', '0']);
    expect(col.querySelectorAll('[data-last]')).toHaveLength(1);
    expect(col.querySelector('[data-last]')?.getAttribute('data-owner')).toBe('1');
  });

  it('moves between columns with arrow keys and drops with Enter', async () => {
    const onPlay = vi.fn();
    render(<Connect4Board state={connect4.initialState()} legalColumns={[0, 1, 2, 3, 4, 5, 6]} onPlay={onPlay} />);
    await userEvent.tab();
    expect(document.activeElement?.getAttribute('data-col')).toBe('3');
    await userEvent.keyboard('{ArrowLeft}{ArrowLeft}{Enter}');
    expect(onPlay).toHaveBeenCalledWith(1);
  });
});
