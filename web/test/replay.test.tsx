import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { GameEvent } from '@monkeytown/shared/schemas';
import { Replay } from '../src/components/game/Replay';
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
});
