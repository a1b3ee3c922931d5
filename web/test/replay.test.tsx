import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { GameEvent, GameReview } from '@monkeytown/shared/schemas';
import { Replay, stepLine } from '../src/components/game/Replay';
import type { MoveEntry } from '../src/lib/game-model';
import { HUMAN, moveEvents, snapshot } from './fixtures';

// The replay page tells how the game ended as the live page does: the rating change
// under the result, and the end marked on the board at the last move.
describe('replay of a finished game', () => {
  const BOB = { ...HUMAN, seat: 1 as const, playerId: '00000000-0000-4000-8000-000000000003', name: 'Bob' };
  const game = snapshot({
    status: 'finished', turn: null, seq: 3, moveCount: 2, players: [HUMAN, BOB],
    result: { winner: 0, reason: 'resign' },
    ratingChanges: [{ seat: 0, playerId: HUMAN.playerId, before: 1500, after: 1512 }, { seat: 1, playerId: BOB.playerId, before: 1500, after: 1488 }],
  });
  const events = moveEvents('tictactoe', [{ cell: 4 }, { cell: 0 }], 1).map(
    (e) => ({ ...e, gameId: game.id, at: '2026-01-01T00:00:00Z' }) as GameEvent,
  );

  it('shows both rating changes and marks the resignation on the board at the last move only', async () => {
    const { container } = render(<Replay game={game} events={events} title="Alice vs Bob" />);
    expect(screen.getByTestId('rating-change').textContent).toBe('Alice 1512 (+12) · Bob 1488 (\u221212)');
    const frame = container.querySelector('.board-frame')!;
    expect(frame.getAttribute('data-end')).toBe('resign');
    await userEvent.click(screen.getByRole('button', { name: 'Previous move' }));
    expect(frame.getAttribute('data-end')).toBeNull();
  });

  it('says an unrated game is unrated', () => {
    render(<Replay game={{ ...game, rated: false, ratingChanges: null }} events={events} title="Alice vs Bob" />);
    expect(screen.getByText('Unrated game.')).toBeTruthy();
  });

  it('shows the post-game review; a moment jumps the replay to its move', async () => {
    const review: GameReview = {
      reviewer: { agentId: 'mentororangutan', name: 'MentorOrangutan' },
      curve: [50, 50, 100],
      moments: [{ ply: 2, seat: 1, kind: 'blunder', turningPoint: true, played: 'a1', better: 'a2', betterLine: ['a2'], loss: 0.5, text: 'Taking a1 let Alice set up a fork.' }],
      turningPoint: 2,
      players: [{ seat: 0, accuracy: 100, blunders: 0, mistakes: 0, inaccuracies: 0 }, { seat: 1, accuracy: 24.5, blunders: 1, mistakes: 0, inaccuracies: 0 }],
      plies: [],
      summary: 'Alice played at 100% accuracy, Bob played at 25% accuracy.',
      method: 'exact (perfect play)',
    };
    const { container } = render(<Replay game={game} events={events} review={{ status: 'done', review }} title="Alice vs Bob" />);
    expect(screen.getByTestId('review-summary').textContent).toBe('MentorOrangutan: Alice played at 100% accuracy, Bob played at 25% accuracy.');
    expect(screen.getByTestId('review-player-1').textContent).toContain('25%');
    expect(container.querySelector('[data-testid="eval-curve"] polyline')!.getAttribute('points')!.split(' ')).toHaveLength(3);
    await userEvent.click(screen.getByRole('button', { name: 'First move' }));
    expect(screen.getByTestId('replay-step').textContent).toBe('Start position');
    await userEvent.click(container.querySelector('.review-moment[data-ply="2"]')!);
    // Numbered as the move list numbers it: the second ply is O's reply in full move 1.
    expect(screen.getByTestId('replay-step').textContent).toBe('1… a1 · O · move 1 of 1');
    await userEvent.click(screen.getByRole('button', { name: 'Previous move' }));
    expect(screen.getByTestId('replay-step').textContent).toBe('1. b2 · X · move 1 of 1');
    expect(screen.getByRole('slider', { name: 'Move number' }).getAttribute('aria-valuetext')).toBe('1. b2 · X · move 1 of 1');
  });
});

// Issue 26: the step line counts moves as a chess player does, not plies.
describe('the replay step line', () => {
  const sans = ['e4', 'e5', 'Nf3', 'Nc6', 'Bb5', 'a6', 'Ba4', 'Nf6', 'O-O'];
  const moves = sans.map((label, i) => ({ seat: i % 2, label }) as MoveEntry);

  it("names Black's 8th ply as move 4, in the move list's numbering", () => {
    expect(stepLine('chess', moves, 8)).toBe('4… Nf6 · Black · move 4 of 5');
    expect(stepLine('chess', moves, 9)).toBe('5. O-O · White · move 5 of 5');
    expect(stepLine('chess', moves, 1)).toBe('1. e4 · White · move 1 of 5');
  });
});
