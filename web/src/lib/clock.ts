// Clock arithmetic for the game page, kept pure so tests can drive it with fake time.
// The server measures the clocks; the page only counts down from the moment it received
// a ClockState (performance.now(), so neither the server's wall clock nor a skewed one
// on this machine matters): what a move, a snapshot or game.over said, minus the time
// since it arrived, for the seat whose clock runs.
import type { ClockSettings, ClockState, Seat } from '@monkeytown/shared/schemas';

/** Milliseconds left on `seat`'s clock `elapsedMs` after `state` was received (never below 0). */
export function remainingMs(state: ClockState, seat: Seat, elapsedMs: number, running: boolean): number {
  const base = state.remainingMs[seat];
  const left = running && state.running === seat ? base - Math.max(0, elapsedMs) : base;
  return Math.max(0, left);
}

/**
 * Before its first move a side's clock does not run (lichess): the server sends
 * `firstMoveBy` instead, the moment the game is aborted if that move has not come. What
 * is left of that wait `elapsedMs` after `state` was received, or null when no side is
 * waiting for its first move. Counted from `at` like the clocks (no wall-clock skew).
 */
export function firstMoveLeftMs(state: ClockState, elapsedMs: number): number | null {
  if (state.running !== null || !state.firstMoveBy) return null;
  return Math.max(0, Date.parse(state.firstMoveBy) - Date.parse(state.at) - Math.max(0, elapsedMs));
}

/**
 * Below this a clock warns (colour, the low-time sound once, one announcement): an eighth
 * of the starting time, at least 5 s and at most 60 s (lichess warns at about an eighth too).
 */
export function lowTimeMs(settings: ClockSettings | null): number {
  const initial = (settings?.initialSeconds ?? 60) * 1000;
  return Math.min(60_000, Math.max(5_000, initial / 8));
}

/** "4:59", "1:02:03"; tenths below ten seconds ("0:09.4") when `tenths`. */
export function formatClock(ms: number, tenths = true): string {
  const clamped = Math.max(0, ms);
  if (clamped === 0) return '0:00';
  if (tenths && clamped < 10_000) {
    // Floor, so 0:00.0 shows only when the time is really gone.
    const t = Math.floor(clamped / 100);
    return `0:0${Math.floor(t / 10)}.${t % 10}`;
  }
  // Ceil whole seconds: a clock reads 0:01 until the last second is spent.
  const total = tenths ? Math.ceil(clamped / 1000) : Math.floor(clamped / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** How long until the displayed text can change (the next tenth below 10 s, else the next second). */
export function nextTickMs(ms: number): number {
  if (ms <= 0) return Infinity;
  if (ms <= 10_000) return (ms % 100) || 100;
  return (ms % 1000) || 1000;
}

/** "3 minutes 5 seconds": for announcements. */
export function spokenTime(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  const parts = [];
  if (m) parts.push(`${m} ${m === 1 ? 'minute' : 'minutes'}`);
  if (s || !m) parts.push(`${s} ${s === 1 ? 'second' : 'seconds'}`);
  return parts.join(' ');
}
