'use client';
// Premove: while the opponent is to move, the player may queue ONE move. It is shown on
// the board, cancelled by Escape, a right-click or a click on the board, or the Cancel
// button; and the moment the opponent's move arrives it is checked against the new
// position and, if still legal, played through the same path as any move (play: seq +
// Idempotency-Key). It is taken out of the queue before it is sent, so it is sent once.
import { useCallback, useEffect, useMemo, useState, type Dispatch, type MouseEvent, type PointerEvent } from 'react';
import { engineFor } from '@monkeytown/shared/games';
import type { Seat } from '@monkeytown/shared/schemas';
import type { GameAction, GameModel } from '../../lib/game-model';
import { premoveTargets } from '../../lib/premove/targets';

export function useGamePremove(opts: { model: GameModel; mySeat: Seat | null; dispatch: Dispatch<GameAction>; play: (move: unknown) => Promise<void> }) {
  const { model, mySeat, dispatch, play } = opts;
  const [queued, setQueued] = useState<unknown>(null);
  const g = model.game;
  const theirTurn = g.status === 'active' && mySeat !== null && g.turn !== mySeat;
  const candidates = useMemo(() => (theirTurn && mySeat !== null ? premoveTargets(g.type, g.state, mySeat) : []), [theirTurn, mySeat, g.type, g.state]);
  const cancel = useCallback(() => setQueued(null), []);

  // The turn came (or the game ended): play the queued move if it still fits the position.
  useEffect(() => {
    if (queued === null) return;
    if (g.status !== 'active' || mySeat === null) return setQueued(null);
    if (g.turn !== mySeat || model.pending) return;
    setQueued(null);
    const why = engineFor(g.type)?.illegalReason(g.state, queued);
    if (why) dispatch({ type: 'notice', notice: `Premove cancelled: ${why}.` });
    else void play(queued);
  }, [queued, g.seq, g.turn, g.status, g.state, g.type, mySeat, model.pending, dispatch, play]);

  useEffect(() => {
    if (queued === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setQueued(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [queued]);

  return {
    /** "e2-e4", "b2", "col 4": what the note says is queued. */
    label: queued === null ? null : premoveLabel(g.type, g.state, queued),
    /** Moves the board offers while the opponent is to move (its targets, drag and click). */
    candidates,
    queued,
    /** The board's onMove while the opponent is to move: one premove, a new one replaces it. */
    queue: (move: unknown) => setQueued(move),
    cancel,
    /** On the board's frame: a right-click, or a press anywhere on the board, drops it. */
    frameProps: {
      onContextMenu: (e: MouseEvent) => {
        if (queued === null) return;
        e.preventDefault();
        setQueued(null);
      },
      // The primary button only: a right-click's own menu event cancels (and is kept quiet).
      onPointerDownCapture: (e: PointerEvent) => {
        if (queued !== null && e.button === 0) setQueued(null);
      },
    },
  };
}

function premoveLabel(type: string, state: unknown, move: unknown): string {
  const uci = (move as { uci?: string }).uci;
  if (type === 'chess' && uci) return `${uci.slice(0, 2)}-${uci.slice(2, 4)}${uci.slice(4) ? `=${uci.slice(4).toUpperCase()}` : ''}`;
  try {
    return engineFor(type as never)?.describeMove(state, move) ?? JSON.stringify(move);
  } catch {
    return JSON.stringify(move);
  }
}
