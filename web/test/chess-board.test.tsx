import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { chess, chessStateFromFen, type ChessState } from '@monkeytown/shared/games';
import { ChessBoard } from '../src/components/boards/ChessBoard';

const after = (...ucis: string[]): ChessState => ucis.reduce((s, uci) => chess.apply(s, { uci }), chess.initialState());

// 64 buttons per render in jsdom is slow on a loaded machine: generous timeouts.
describe('ChessBoard', { timeout: 30_000 }, () => {
  it('names every square and piece, and moves click-click with legal-move dots', async () => {
    const onMove = vi.fn();
    const state = chess.initialState();
    render(<ChessBoard state={state} legalMoves={chess.legalMoves(state)} onMove={onMove} viewerSeat={0} />);
    expect(screen.getAllByRole('button', { name: /^[a-h][1-8], / })).toHaveLength(64);
    await userEvent.click(screen.getByRole('button', { name: 'e2, white pawn' }));
    expect(screen.getByRole('button', { name: 'e4, empty, move here' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'e3, empty, move here' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'e5, empty' }));
    expect(onMove).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'g1, white knight' }));
    await userEvent.click(screen.getByRole('button', { name: 'f3, empty, move here' }));
    expect(onMove).toHaveBeenCalledWith({ uci: 'g1f3' });
  });

  it('plays by keyboard: Enter picks up, arrows move, Enter puts down', async () => {
    const onMove = vi.fn();
    const state = chess.initialState();
    render(<ChessBoard state={state} legalMoves={chess.legalMoves(state)} onMove={onMove} />);
    screen.getByRole('button', { name: 'e2, white pawn' }).focus();
    await userEvent.keyboard('{Enter}{ArrowUp}{ArrowUp}{Enter}');
    expect(onMove).toHaveBeenCalledWith({ uci: 'e2e4' });
  });

  it('asks which piece to promote to', async () => {
    const onMove = vi.fn();
    const state = chessStateFromFen('8/4P3/8/8/8/k7/8/K7 w - - 0 1');
    render(<ChessBoard state={state} legalMoves={chess.legalMoves(state)} onMove={onMove} />);
    await userEvent.click(screen.getByRole('button', { name: 'e7, white pawn' }));
    await userEvent.click(screen.getByRole('button', { name: 'e8, empty, move here' }));
    expect(onMove).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: /Knight/ }));
    expect(onMove).toHaveBeenCalledWith({ uci: 'e7e8n' });
  });

  it('highlights the last move and a king in check, and flips', async () => {
    const state = after('e2e4', 'd7d5', 'f1b5');
    render(<ChessBoard state={state} legalMoves={[]} />);
    expect(screen.getByRole('button', { name: 'e8, black king, in check' }).dataset.check).toBe('true');
    expect(screen.getByRole('button', { name: 'b5, white bishop' }).dataset.last).toBe('true');
    expect(screen.getAllByRole('button', { name: /^[a-h][1-8]/ })[0]!.dataset.square).toBe('a8');
    await userEvent.click(screen.getByRole('button', { name: /Flip board/ }));
    expect(screen.getAllByRole('button', { name: /^[a-h][1-8]/ })[0]!.dataset.square).toBe('h1');
  });
});
