'use client';
// The keyboard of a board whose cells are buttons in rows × cols, numbered row by row:
// one tab stop for the whole board (roving tabindex), arrow keys move it and wrap at the
// edges, Home/End (where the board asks for them) go to the ends of the row. A one-row
// board leaves Up and Down to the page. Enter and Space need nothing here: the cells are
// buttons, so they click.
import { useRef, useState, type KeyboardEvent } from 'react';

/** Where `key` moves the focus from cell i, or undefined for a key the board leaves alone. */
function step(key: string, i: number, rows: number, cols: number, homeEnd: boolean): number | undefined {
  const r = Math.floor(i / cols);
  const c = i % cols;
  switch (key) {
    case 'ArrowLeft':
      return r * cols + ((c + cols - 1) % cols);
    case 'ArrowRight':
      return r * cols + ((c + 1) % cols);
    case 'ArrowUp':
      return rows > 1 ? ((r + rows - 1) % rows) * cols + c : undefined;
    case 'ArrowDown':
      return rows > 1 ? ((r + 1) % rows) * cols + c : undefined;
    case 'Home':
      return homeEnd ? r * cols : undefined;
    case 'End':
      return homeEnd ? r * cols + cols - 1 : undefined;
    default:
      return undefined;
  }
}

/**
 * Returns the props cell i's button spreads (its ref, its tab stop and the focus
 * handlers), and `focusTabStop()`: focus the board's tab stop (for a control outside the
 * grid that goes away when used, like a pass button).
 */
export function useRovingGrid(rows: number, cols: number, initial: () => number, opts: { homeEnd?: boolean } = {}) {
  const [focus, setFocus] = useState(initial);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const cell = (i: number) => ({
    ref: (el: HTMLButtonElement | null) => {
      refs.current[i] = el;
    },
    tabIndex: i === focus ? 0 : -1,
    onFocus: () => setFocus(i),
    onKeyDown: (e: KeyboardEvent) => {
      const to = step(e.key, i, rows, cols, opts.homeEnd ?? false);
      if (to === undefined) return;
      e.preventDefault();
      setFocus(to);
      refs.current[to]?.focus();
    },
  });
  return Object.assign(cell, { focusTabStop: () => refs.current[focus]?.focus() });
}
