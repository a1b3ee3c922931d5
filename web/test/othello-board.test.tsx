import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { othello, type OthelloState } from '@monkeytown/shared/games/othello';
import { OthelloBoard } from '../src/components/boards/OthelloBoard';
import { GameBoard } from '../src/components/boards/GameBoard';

const after = (...squares: string[]): OthelloState => squares.reduce((s, square) => othello.apply(s, { square }), othello.initialState());
const legal = (s: OthelloState) => othello.legalMoves(s).map((m) => m.square);
// The shortest opening after which Black must pass (see the engine tests).
const TO_A_PASS = ['d3', 'c3', 'b3', 'b2', 'f5', 'a3', 'a1', 'c1'];

describe('OthelloBoard', () => {
  it('shows the four starting discs, the count, and only the four legal squares as playable', () => {
    const s = othello.initialState();
    render(<OthelloBoard state={s} legalSquares={legal(s)} />);
    expect(screen.getByRole('button', { name: 'd4: White' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'e4: Black' })).toBeTruthy();
    expect(screen.getAllByRole('button', { name: /play here/ }).map((b) => b.getAttribute('data-sq')).sort()).toEqual(['c4', 'd3', 'e6', 'f5']);
    expect(screen.getByText('Black 2 · White 2')).toBeTruthy();
  });

  it('plays a legal square on click or tap and ignores the others', async () => {
    const onPlay = vi.fn();
    const s = othello.initialState();
    render(<OthelloBoard state={s} legalSquares={legal(s)} onPlay={onPlay} />);
    await userEvent.click(screen.getByRole('button', { name: 'a1: empty' }));
    await userEvent.click(screen.getByRole('button', { name: 'd4: White' }));
    expect(onPlay).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'd3: empty, play here' }));
    expect(onPlay).toHaveBeenCalledWith('d3');
  });

  it('is playable from the keyboard: one tab stop on a legal square, arrows move, Enter plays', async () => {
    const onPlay = vi.fn();
    const s = othello.initialState();
    render(<OthelloBoard state={s} legalSquares={legal(s)} onPlay={onPlay} />);
    await userEvent.tab();
    expect(document.activeElement?.getAttribute('data-sq')).toBe('d3');
    await userEvent.keyboard('{ArrowDown}{ArrowLeft}{Enter}'); // d3 → d4 → c4
    expect(onPlay).toHaveBeenCalledWith('c4');
  });

  it('marks the last disc and the discs it flipped, and says so for spectators', () => {
    const s = after('d3');
    const { container } = render(<OthelloBoard state={s} legalSquares={[]} />);
    expect(container.querySelector('[data-last]')?.getAttribute('data-sq')).toBe('d3');
    expect([...container.querySelectorAll('[data-flipped]')].map((e) => e.getAttribute('data-sq'))).toEqual(['d4']);
    expect(screen.getByRole('button', { name: 'd4: Black (just flipped)' })).toBeTruthy();
    expect(screen.getByText('Black played d3, flipping 1 disc')).toBeTruthy();
    expect(screen.queryAllByRole('button', { name: /play here/ })).toHaveLength(0);
  });

  it('a side with no move gets one pass button; after the pass everyone reads who passed', async () => {
    const onPlay = vi.fn();
    const stuck = after(...TO_A_PASS);
    const { rerender } = render(<OthelloBoard state={stuck} legalSquares={legal(stuck)} onPlay={onPlay} />);
    expect(screen.queryAllByRole('button', { name: /play here/ })).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: /pass/i }));
    expect(onPlay).toHaveBeenCalledWith('pass');
    const passed = othello.apply(stuck, { square: 'pass' });
    rerender(<OthelloBoard state={passed} legalSquares={[]} />);
    expect(screen.getByText('Black had no move and passed')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /pass$/i })).toBeNull();
  });

  it('is the board the game page shows for an Othello game, with moves as {square}', async () => {
    const onMove = vi.fn();
    const s = othello.initialState();
    render(<GameBoard type="othello" state={s} legalMoves={othello.legalMoves(s)} onMove={onMove} hintMove={{ square: 'f5' }} />);
    // The map loads Othello's board on first need (lazy), so the board appears a tick later.
    expect(await screen.findByRole('button', { name: 'f5: empty, play here (hint)' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'f5: empty, play here (hint)' }));
    expect(onMove).toHaveBeenCalledWith({ square: 'f5' });
  });
});
