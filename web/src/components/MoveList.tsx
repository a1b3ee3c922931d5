'use client';
// Ordered list of moves. Keeps the newest in view by scrolling its own box (fixed height:
// the page never jumps). In replays the current move is marked and clickable.
import { useEffect, useRef } from 'react';
import type { SeatInfo } from '@monkeytown/shared/schemas';
import type { MoveEntry } from '../lib/game-model';

export interface MoveListProps {
  moves: readonly MoveEntry[];
  players: readonly SeatInfo[];
  /** Index of the highlighted move (replay), or null. */
  current?: number | null;
  onSelect?: (index: number) => void;
}

export function MoveList({ moves, players, current = null, onSelect }: MoveListProps) {
  const box = useRef<HTMLOListElement>(null);
  const focusIdx = current ?? moves.length - 1;
  useEffect(() => {
    const el = box.current?.querySelector<HTMLElement>(`[data-index="${focusIdx}"]`);
    // scrollIntoView would also scroll the page; move only this list's own scroll box.
    if (el && box.current) box.current.scrollTop = el.offsetTop - box.current.clientHeight / 2;
  }, [focusIdx, moves.length]);

  const nameOf = (seat: number) => players.find((p) => p.seat === seat)?.name ?? `Seat ${seat + 1}`;
  return (
    <section className="panel moves" aria-labelledby="moves-h">
      <h2 id="moves-h">Moves</h2>
      {moves.length === 0 ? (
        <p className="muted">No moves yet.</p>
      ) : (
        <ol ref={box} className="move-list" aria-label="Move list">
          {moves.map((m, i) => (
            <li key={m.seq} data-index={i} data-seat={m.seat} aria-current={current === i ? 'step' : undefined}>
              {onSelect ? (
                <button type="button" className="linklike" onClick={() => onSelect(i)}>
                  <MoveText m={m} name={nameOf(m.seat)} />
                </button>
              ) : (
                <MoveText m={m} name={nameOf(m.seat)} />
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function MoveText({ m, name }: { m: MoveEntry; name: string }) {
  return (
    <>
      <span className="move-no">{m.moveNumber}.</span> <span className="move-who">{name}</span>{' '}
      <span className="move-label">{m.label}</span>
    </>
  );
}
