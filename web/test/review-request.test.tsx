// The game page asks for the post-game review once, when it sees the game end: reviews are
// computed on request, so the one who watched the last move finds it ready in the replay.
import { renderHook } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { GameStatus } from '@monkeytown/shared/schemas';

const mocks = vi.hoisted(() => ({ call: vi.fn() }));
vi.mock('../src/lib/api', () => ({ call: mocks.call }));
const { useReviewRequest } = await import('../src/components/game/review/useReviewRequest');

const ID = '00000000-0000-4000-8000-0000000000aa';
const page = (status: GameStatus, seated = true) =>
  renderHook(({ status }: { status: GameStatus }) => useReviewRequest({ id: ID, status }, seated), { initialProps: { status } });

describe('useReviewRequest', () => {
  beforeEach(() => {
    mocks.call.mockReset();
    mocks.call.mockImplementation(async () => ({ status: 'pending' }));
  });

  it('asks once when the game ends in front of the viewer', () => {
    const p = page('active');
    expect(mocks.call).not.toHaveBeenCalled();
    p.rerender({ status: 'finished' });
    p.rerender({ status: 'finished' });
    expect(mocks.call).toHaveBeenCalledTimes(1);
    expect(mocks.call).toHaveBeenCalledWith('games.review', { params: { id: ID } });
  });

  it('does not ask for a game that was over when the page opened (the replay asks)', () => {
    const p = page('finished');
    p.rerender({ status: 'finished' });
    expect(mocks.call).not.toHaveBeenCalled();
  });

  it('a spectator\'s page does not ask (a crowd watching the last move is not a crowd of requests)', () => {
    const p = page('active', false);
    p.rerender({ status: 'finished' });
    expect(mocks.call).not.toHaveBeenCalled();
  });
});
