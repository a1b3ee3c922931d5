'use client';
// Stepping through earlier positions of a live game (issue 26): the board shows the
// position after the chosen ply while the game goes on; "Back to live" (or End, or stepping
// past the last move) returns to the game. A past position is only looked at: the page
// offers no legal moves from it.
import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';

export interface MoveView {
  /** Plies shown (0: the start position), or null: the live position. */
  view: number | null;
  go: (plies: number) => void;
  live: () => void;
  /** Arrow keys (and Home/End) step when nothing inside (a board's own keys, an input) took them. */
  onKeyDown: (e: KeyboardEvent) => void;
}

export function useMoveView(total: number): MoveView {
  const [picked, setPicked] = useState<number | null>(null);
  // A takeback may shorten the game under a picked position: past the end is live again.
  const view = picked !== null && picked < total ? picked : null;
  useEffect(() => {
    if (picked !== null && picked >= total) setPicked(null); // and stays live when moves come again
  }, [picked, total]);
  const go = useCallback((n: number) => setPicked(n >= total ? null : Math.max(0, n)), [total]);
  const live = useCallback(() => setPicked(null), []);
  const onKeyDown = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement;
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
    const at = view ?? total;
    if (e.key === 'ArrowLeft') go(at - 1);
    else if (e.key === 'ArrowRight') go(at + 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') live();
    else return;
    e.preventDefault();
  };
  return { view, go, live, onKeyDown };
}

/** The step buttons over the move list, and the way back while an old position is shown. */
export function MoveNav({ nav, total, label }: { nav: MoveView; total: number; label: string | null }) {
  const at = nav.view ?? total;
  return (
    <div className="move-nav" role="group" aria-label="Step through the moves">
      <button type="button" onClick={() => nav.go(0)} disabled={at === 0} aria-label="First position">⏮</button>
      <button type="button" onClick={() => nav.go(at - 1)} disabled={at === 0} aria-label="Previous move">◀</button>
      <button type="button" onClick={() => nav.go(at + 1)} disabled={nav.view === null} aria-label="Next move">▶</button>
      {nav.view !== null ? (
        <button type="button" className="primary back-live" onClick={nav.live}>
          Back to live
        </button>
      ) : (
        <button type="button" onClick={nav.live} disabled aria-label="Live position">⏭</button>
      )}
      <span className="move-nav-at" role="status" aria-live="polite" data-testid="viewing">
        {nav.view === null ? '' : nav.view === 0 ? 'Start position' : `Viewing ${label ?? ''}`}
      </span>
    </div>
  );
}
