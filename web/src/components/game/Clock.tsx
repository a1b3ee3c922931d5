'use client';
// One seat's clock, ticking from the server's ClockState: counted down from the moment the
// page received it (a move, a snapshot after a reload, game.over), so a player, a
// spectator and a reloaded page all show what the server measured. Only the running clock
// re-renders, and only when its text changes (each second; each tenth below 10 s).
// Low time: a warning colour, the low-time sound once on the viewer's own clock, and one
// polite announcement (never one per second: the clock itself is a silent timer).
// Before a side's first move its clock stands still (lichess's rule); the seat to move
// shows what is left of its first-move wait instead ("First move: 0:27"), after which the
// server aborts the game.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ClockSettings, ClockState, Seat } from '@monkeytown/shared/schemas';
import { firstMoveLeftMs, formatClock, lowTimeMs, nextTickMs, remainingMs, spokenTime } from '../../lib/clock';
import { playCue } from '../../lib/sound';

export interface ClockProps {
  state: ClockState;
  seat: Seat;
  settings: ClockSettings | null;
  /** The game is active: the running clock counts down (otherwise the clocks are frozen). */
  live: boolean;
  /** Whose clock, for labels: "Alice", or "Your" … */
  owner: string;
  /** The viewer plays this seat: the low-time sound is theirs. */
  mine: boolean;
  /** The seat to move (its first-move wait is shown on its clock while no clock runs). */
  turn?: Seat | null;
}

const now = () => performance.now();

export function Clock({ state, seat, settings, live, owner, mine, turn }: ClockProps) {
  // A new ClockState object is a new reading from the server: count from its arrival.
  const receivedAt = useMemo(() => now(), [state]);
  const running = live && state.running === seat;
  const [, setTick] = useState(0);
  const left = remainingMs(state, seat, now() - receivedAt, running);
  const firstLeft = live && turn === seat ? firstMoveLeftMs(state, now() - receivedAt) : null;

  useEffect(() => {
    const ticking = running ? left : firstLeft ?? 0;
    if (ticking <= 0) return;
    const t = setTimeout(() => setTick((n) => n + 1), nextTickMs(ticking));
    return () => clearTimeout(t);
  });

  const low = left > 0 && left <= lowTimeMs(settings);
  const flagged = left <= 0;
  // Announce and sound once per entry into low time (a move's increment may lift it out again).
  const [announce, setAnnounce] = useState('');
  const wasLow = useRef(low);
  useEffect(() => {
    if (low && !wasLow.current && running) {
      setAnnounce(`${mine ? 'You have' : `${owner} has`} ${spokenTime(left)} left.`);
      if (mine) playCue('lowTime');
    }
    wasLow.current = low;
  }, [low, running, mine, owner, left]);

  const name = mine ? 'Your clock' : `${owner}'s clock`;
  return (
    <span className="clock" data-running={running || undefined} data-waiting={firstLeft !== null || undefined} data-low={low || undefined} data-flagged={flagged || undefined} data-seat={seat}>
      <span role="timer" aria-label={`${name}: ${flagged ? 'time is up' : spokenTime(left)}`} className="clock-time">
        {formatClock(left)}
      </span>
      {firstLeft !== null && (
        <span className="clock-first-move" title="The clocks start after each side's first move; without it the game is aborted.">
          First move: {formatClock(firstLeft)}
        </span>
      )}
      <span className="sr-only" aria-live="polite">
        {announce}
      </span>
    </span>
  );
}
