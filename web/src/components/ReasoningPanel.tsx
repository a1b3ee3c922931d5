'use client';
// What the monkeys are thinking: a live "thinking…" line while an agent searches, and the
// reason the agent gave for each of its moves, newest first. Between its moves the line
// says whose move it is; once the game is over, that it is over (never "waiting").
import type { GameStatus, Seat, SeatInfo } from '@monkeytown/shared/schemas';
import type { MoveEntry } from '../lib/game-model';
import { plyNumbers } from '../lib/move-rows';

export interface ReasoningPanelProps {
  moves: readonly MoveEntry[];
  players: readonly SeatInfo[];
  /** The agent that owes a move now, or null. */
  thinking: SeatInfo | null;
  /** The game's status: a finished game waits for nobody. */
  status?: GameStatus;
  /** The viewer's seat (null: a spectator, for whom it is not "your" move). */
  mySeat?: Seat | null;
}

function idleLine(players: readonly SeatInfo[], status: GameStatus, mySeat: Seat | null): string {
  if (status === 'finished') return 'The game is over.';
  if (status === 'open') return 'Waiting for the game to start.';
  if (mySeat !== null) return 'Waiting for your move.';
  const human = players.find((p) => p.kind === 'human');
  return `Waiting for ${human?.name ?? 'the other player'} to move.`;
}

export function ReasoningPanel({ moves, players, thinking, status = 'active', mySeat = null }: ReasoningPanelProps) {
  const agentSeats = new Set(players.filter((p) => p.kind === 'agent').map((p) => p.seat));
  // Numbered as the move list numbers them ("21… h6#", never the ply count).
  const numbers = plyNumbers(moves);
  const reasons = moves.map((m, i) => ({ ...m, no: numbers[i] })).filter((m) => agentSeats.has(m.seat) && m.reason).slice().reverse();
  const who = (seat: number) => players.find((p) => p.seat === seat);
  if (agentSeats.size === 0) return null;
  return (
    <section className="panel reasoning" aria-labelledby="reasoning-h">
      <h2 id="reasoning-h">Monkey thoughts</h2>
      <p className="thinking" role="status" aria-live="polite" data-active={thinking ? true : undefined} data-status={status}>
        {thinking ? (
          <>
            <span aria-hidden="true">{thinking.emoji ?? '🐒'}</span> {thinking.name} is thinking
            <span className="dots" aria-hidden="true">
              …
            </span>
          </>
        ) : (
          <span className="muted">{idleLine(players, status, mySeat)}</span>
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
                  <span aria-hidden="true">{p?.emoji ?? '🐒'}</span> {m.no} {m.label}
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
