'use client';
// The move list as players read it: "1. e4 e5" in two columns (a row per full move, see
// lib/move-rows.ts), no names repeated on every row. One <li> per ply (its number rides in
// the first mover's item), laid out as a three-column grid. Keeps the newest (or the
// selected) move in view by scrolling its own box, so the page never jumps. With
// `onSelect` every move is a button that shows that position (live stepping, replays).
import { useEffect, useRef, type ReactNode } from 'react';
import type { SeatInfo } from '@monkeytown/shared/schemas';
import type { MoveEntry } from '../lib/game-model';
import { moveRows } from '../lib/move-rows';

export interface MoveListProps {
  moves: readonly MoveEntry[];
  /** The seats, for the columns' headings. */
  players: readonly SeatInfo[];
  /** Index of the highlighted move (the position shown), or null. */
  current?: number | null;
  onSelect?: (index: number) => void;
  /** Steps and "back to live" (the live page), under the heading. */
  children?: ReactNode;
  /**
   * The game has moves this page does not hold yet (the server render could not read its
   * history: a slow database; REST brings it a moment later): say they are coming, never
   * "No moves yet." about a game that has some.
   */
  loading?: boolean;
}

export function MoveList({ moves, players, current = null, onSelect, children, loading = false }: MoveListProps) {
  const box = useRef<HTMLOListElement>(null);
  const focusIdx = current ?? moves.length - 1;
  useEffect(() => {
    const el = box.current?.querySelector<HTMLElement>(`[data-index="${focusIdx}"]`);
    // scrollIntoView would also scroll the page; move only this list's own scroll box.
    if (el && box.current) box.current.scrollTop = el.offsetTop - box.current.clientHeight / 2;
  }, [focusIdx, moves.length]);

  const cell = (i: number) => {
    const m = moves[i]!;
    const props = { className: 'move-cell', 'data-index': i, 'data-seat': m.seat } as const;
    return onSelect ? (
      <button type="button" {...props} onClick={() => onSelect(i)} aria-label={`Show the position after ${m.label}`}>
        <span className="move-label">{m.label}</span>
      </button>
    ) : (
      <span {...props}>
        <span className="move-label">{m.label}</span>
      </span>
    );
  };
  const mark = (i: number) => (current === i ? 'step' : undefined);
  const name = (seat: number) => players.find((p) => p.seat === seat)?.name ?? `Seat ${seat + 1}`;

  return (
    <section className="panel moves" aria-labelledby="moves-h">
      <h2 id="moves-h" className="moves-head">
        Moves
        <span className="moves-cols" aria-hidden="true">
          <span>{name(0)}</span>
          <span>{name(1)}</span>
        </span>
      </h2>
      {children}
      {moves.length === 0 ? (
        <p className="muted moves-empty">{loading ? 'Loading the moves…' : 'No moves yet.'}</p>
      ) : (
        // Focusable: it scrolls, and ← → step through the positions from here.
        <ol ref={box} className="move-list" aria-label="Move list" tabIndex={0}>
          {moveRows(moves).flatMap(({ no, plies: [first, second] }) => {
            const items = [];
            if (first !== null)
              items.push(
                <li key={moves[first]!.seq} data-seat={0} aria-current={mark(first)}>
                  <span className="move-no">{no}.</span> {cell(first)}
                </li>,
              );
            if (second !== null)
              items.push(
                <li key={moves[second]!.seq} data-seat={1} aria-current={mark(second)}>
                  {first === null && (
                    <>
                      <span className="move-no">{no}.</span>
                      <span className="move-skip">…</span>{' '}
                    </>
                  )}
                  {cell(second)}
                </li>,
              );
            return items;
          })}
        </ol>
      )}
    </section>
  );
}
