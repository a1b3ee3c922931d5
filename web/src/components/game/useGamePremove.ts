'use client';
// Premove: while the opponent is to move (or the player's own move is still on its way to
// the server), the player may queue ONE move. It is shown on
// the board, cancelled by Escape, a right-click or a click on the board, or the Cancel
// button; and the moment the opponent's move arrives it is checked against the new
// position and, if still legal, played through the same path as any move (play: seq +
// Idempotency-Key). It is taken out of the queue before it is sent, so it is sent once.
// It waits for the opponent's reply to the move it followed: if that move was never played
// (refused, rolled back) or a takeback undid it, the premove is dropped, never played early.
import { useCallback, useEffect, useMemo, useState, type Dispatch, type MouseEvent, type PointerEvent } from 'react';
import { engineFor } from '@monkeytown/shared/games';
import type { Seat } from '@monkeytown/shared/schemas';
import type { GameAction, GameModel } from '../../lib/game-model';
import { premoveTargets } from '../../lib/premove/targets';

export function useGamePremove(opts: { model: GameModel; mySeat: Seat | null; dispatch: Dispatch<GameAction>; play: (move: unknown) => Promise<void> }) {
  const { model, mySeat, dispatch, play } = opts;
  // The move, and how many moves the game must have (the opponent's reply included) to play it.
  const [entry, setEntry] = useState<{ move: unknown; at: number } | null>(null);
  const queued = entry?.move ?? null;
  const g = model.game;
  const sending = model.pending;
  const theirTurn = g.status === 'active' && mySeat !== null && (g.turn !== mySeat || sending !== null);
  // While my move is in flight, the position it makes is the one to premove from.
  const from = sending ? sending.state : g.state;
  const candidates = useMemo(() => (theirTurn && mySeat !== null ? premoveTargets(g.type, from, mySeat) : []), [theirTurn, mySeat, g.type, from]);
  const cancel = useCallback(() => setEntry(null), []);
  const queueMove = (move: unknown) => setEntry({ move, at: (sending ? sending.baseMoves + 1 : g.moveCount) + 1 });

  // The turn came (or the game ended): play the queued move if it still fits the position.
  useEffect(() => {
    if (entry === null) return;
    if (g.status !== 'active' || mySeat === null) return setEntry(null);
    if (g.turn !== mySeat || model.pending) return;
    setEntry(null);
    // The move it followed was refused (its notice says so) or taken back: dropped quietly.
    if (g.moveCount < entry.at) return;
    const why = engineFor(g.type)?.illegalReason(g.state, entry.move);
    if (why) dispatch({ type: 'notice', notice: `Premove cancelled: ${why}.` });
    else void play(entry.move);
  }, [entry, g.seq, g.turn, g.status, g.state, g.moveCount, g.type, mySeat, model.pending, dispatch, play]);

  useEffect(() => {
    if (queued === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setEntry(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [queued]);

  return {
    /** "e2-e4", "b2", "col 4": what the note says is queued. */
    label: queued === null ? null : premoveLabel(g.type, from, queued),
    /** Moves the board offers while the opponent is to move (its targets, drag and click). */
    candidates,
    queued,
    /** The board's onMove while the opponent is to move: one premove, a new one replaces it. */
    queue: queueMove,
    cancel,
    /** On the board's frame: a right-click, or a press anywhere on the board, drops it. */
    frameProps: {
      onContextMenu: (e: MouseEvent) => {
        if (queued === null) return;
        e.preventDefault();
        setEntry(null);
      },
      // The primary button only: a right-click's own menu event cancels (and is kept quiet).
      onPointerDownCapture: (e: PointerEvent) => {
        if (queued !== null && e.button === 0) setEntry(null);
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
