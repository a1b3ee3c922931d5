'use client';
// What the monkeys are thinking: a live "thinking…" line while an agent searches, and the
// reason the agent gave for each of its moves, newest first.
import type { SeatInfo } from '@monkeytown/shared/schemas';
import type { MoveEntry } from '../lib/game-model';

export interface ReasoningPanelProps {
  moves: readonly MoveEntry[];
  players: readonly SeatInfo[];
  /** The agent that owes a move now, or null. */
  thinking: SeatInfo | null;
}

export function ReasoningPanel({ moves, players, thinking }: ReasoningPanelProps) {
  const agentSeats = new Set(players.filter((p) => p.kind === 'agent').map((p) => p.seat));
  const reasons = moves.filter((m) => agentSeats.has(m.seat) && m.reason).slice().reverse();
  const who = (seat: number) => players.find((p) => p.seat === seat);
  if (agentSeats.size === 0) return null;
  return (
    <section className="panel reasoning" aria-labelledby="reasoning-h">
      <h2 id="reasoning-h">Monkey thoughts</h2>
      <p className="thinking" role="status" aria-live="polite" data-active={thinking ? true : undefined}>
        {thinking ? (
          <>
            <span aria-hidden="true">{thinking.emoji ?? '🐒'}</span> {thinking.name} is thinking
            <span className="dots" aria-hidden="true">
              …
            </span>
          </>
        ) : (
          <span className="muted">Waiting for your move.</span>
        )}
      </p>
      {reasons.length > 0 && (
        // Focusable: the list scrolls once reasons pile up, and keyboard users must reach it.
        <ol className="reason-list" aria-label="Agent reasons" tabIndex={0}>
          {reasons.map((m) => {
            const p = who(m.seat);
            return (
              <li key={m.seq}>
                <span className="reason-head">
                  <span aria-hidden="true">{p?.emoji ?? '🐒'}</span> {m.moveNumber}. {m.label}
                </span>
                <q className="reason-text">{m.reason}</q>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
