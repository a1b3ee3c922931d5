// useGamePremove with a real game model: one queued move, played once through `play` when
// the opponent's move arrives if still legal; dropped with a notice if not; cancelled by
// Escape; and never kept past the end of the game.
import { act, fireEvent, renderHook } from '@testing-library/react';
import { useReducer } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { GameSnapshot } from '@monkeytown/shared/schemas';
import { useGamePremove } from '../src/components/game/useGamePremove';
import { gameReducer, initialModel } from '../src/lib/game-model';
import { snapshotAfter } from './fixtures';

/** Alice (seat 0) has played b2; the agent (seat 1) is to move. */
function page(play = vi.fn(async () => {})) {
  const hook = renderHook(() => {
    const [model, dispatch] = useReducer(gameReducer, snapshotAfter([{ cell: 4 }], 3), initialModel);
    return { model, dispatch, pre: useGamePremove({ model, mySeat: 0, dispatch, play }) };
  });
  const arrive = (game: GameSnapshot) => act(() => hook.result.current.dispatch({ type: 'snapshot', game }));
  return { hook, play, arrive };
}

describe('useGamePremove', () => {
  it('offers the empty cells while the opponent is to move, and plays the queued one once when its move arrives', async () => {
    const { hook, play, arrive } = page();
    expect(hook.result.current.pre.candidates).toHaveLength(8);
    act(() => hook.result.current.pre.queue({ cell: 8 }));
    expect(hook.result.current.pre.label).toBe('c3');
    expect(play).not.toHaveBeenCalled();
    await arrive(snapshotAfter([{ cell: 4 }, { cell: 0 }], 4));
    expect(play).toHaveBeenCalledTimes(1);
    expect(play).toHaveBeenCalledWith({ cell: 8 });
    expect(hook.result.current.pre.queued).toBeNull();
    await arrive(snapshotAfter([{ cell: 4 }, { cell: 0 }], 5)); // a chat line: nothing more
    expect(play).toHaveBeenCalledTimes(1);
  });

  it('drops a premove the opponent made illegal, with a notice', async () => {
    const { hook, play, arrive } = page();
    act(() => hook.result.current.pre.queue({ cell: 0 }));
    await arrive(snapshotAfter([{ cell: 4 }, { cell: 0 }], 4));
    expect(play).not.toHaveBeenCalled();
    expect(hook.result.current.model.notice).toMatch(/^Premove cancelled: /);
  });

  it('Escape cancels it; a finished game drops it', async () => {
    const { hook, play, arrive } = page();
    act(() => hook.result.current.pre.queue({ cell: 8 }));
    act(() => void fireEvent.keyDown(window, { key: 'Escape' }));
    expect(hook.result.current.pre.queued).toBeNull();
    act(() => hook.result.current.pre.queue({ cell: 8 }));
    await arrive(snapshotAfter([{ cell: 4 }], 4, { status: 'finished', turn: null }));
    expect(hook.result.current.pre.queued).toBeNull();
    expect(play).not.toHaveBeenCalled();
  });

  // Issue 26: a premove may be queued while the player's own move is still being sent.
  describe('while my own move is in flight', () => {
    /** Alice (seat 0) to move; she has just played b2 and its answer has not come yet. */
    function sending(play = vi.fn(async () => {})) {
      const hook = renderHook(() => {
        const [model, dispatch] = useReducer(gameReducer, snapshotAfter([], 2), initialModel);
        return { model, dispatch, pre: useGamePremove({ model, mySeat: 0, dispatch, play }) };
      });
      act(() => hook.result.current.dispatch({ type: 'optimistic', move: { cell: 4 } }));
      const arrive = (game: GameSnapshot) => act(() => hook.result.current.dispatch({ type: 'snapshot', game }));
      return { hook, play, arrive };
    }

    it('offers the cells left after the move being sent, and plays the queued one when the reply arrives, once', async () => {
      const { hook, play, arrive } = sending();
      expect(hook.result.current.model.pending).not.toBeNull();
      expect(hook.result.current.pre.candidates).toHaveLength(8); // b2 is taken on the board shown
      act(() => hook.result.current.pre.queue({ cell: 8 }));
      expect(hook.result.current.pre.label).toBe('c3');
      await arrive(snapshotAfter([{ cell: 4 }], 3)); // my move landed: the opponent is to move
      expect(hook.result.current.pre.queued).toEqual({ cell: 8 });
      expect(play).not.toHaveBeenCalled();
      await arrive(snapshotAfter([{ cell: 4 }, { cell: 0 }], 4));
      expect(play).toHaveBeenCalledTimes(1);
      expect(play).toHaveBeenCalledWith({ cell: 8 });
      expect(hook.result.current.pre.queued).toBeNull();
    });

    it('is dropped, never played in its place, when the move being sent is refused', async () => {
      const { hook, play } = sending();
      act(() => hook.result.current.pre.queue({ cell: 8 }));
      act(() => hook.result.current.dispatch({ type: 'rollback', notice: 'The board changed before your move landed. Try again.' }));
      expect(hook.result.current.pre.queued).toBeNull();
      expect(play).not.toHaveBeenCalled();
      expect(hook.result.current.model.notice).toBe('The board changed before your move landed. Try again.');
    });
  });
});
