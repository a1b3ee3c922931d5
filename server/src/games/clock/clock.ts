import { FIRST_MOVE_TIMEOUT_SECONDS, type ClockSettings, type ClockState, type GameStatus, type Seat } from '@monkeytown/shared';

/**
 * Clock arithmetic, without I/O. A game's clocks are stored as the API shows them
 * (ClockState): what each side had left at `at` (the time of the commit that last
 * changed the game's state) and whose clock has been running since. Time is measured
 * on the server, commit to commit: a move is charged the time from the commit that
 * handed the turn over to its own batch's time, less the lag allowance.
 */

/**
 * What the clock rules are configured with (config: CLOCK_LAG_MS, FIRST_MOVE_TIMEOUT_SECONDS,
 * GAME_IDLE_EXPIRY_SECONDS, OPEN_SEAT_EXPIRY_SECONDS).
 */
export interface ClockRules {
  /**
   * Lag allowance: of each stretch of a clock's time, up to this much is forgiven (the
   * network's share of a move's time). Bounded: a move never gains more than this, and
   * a flag falls at most this long after the clock shows 0:00.
   */
  lagMs: number;
  /** A timed game whose side to move has not made its first move this long after getting the turn is aborted. */
  firstMoveMs: number;
  /** An active untimed game with no state change this long expires (`abandoned`). */
  idleExpiryMs: number;
  /** An open seat nobody took this long expires (`abandoned`). */
  openExpiryMs: number;
}

export const DEFAULT_CLOCK_RULES: ClockRules = {
  lagMs: 300, firstMoveMs: FIRST_MOVE_TIMEOUT_SECONDS * 1000, idleExpiryMs: 30 * 60_000, openExpiryMs: 30 * 60_000,
};

/** The fields of a game row the clock reads and writes. */
export interface ClockedRow {
  status: GameStatus;
  turn: Seat | null;
  move_count: number;
  clock: ClockSettings | null;
  clock_state: ClockState | null;
  flag_at: Date | null;
}

const other = (seat: Seat): Seat => (seat === 0 ? 1 : 0);

/**
 * The clocks run once each side has made its first move (lichess): before that the side
 * to move has a first-move deadline instead. Every game here alternates its first two
 * moves (othello cannot pass that early), so "the side to move has moved" is "two moves".
 */
export const clocksStarted = (moveCount: number): boolean => moveCount >= 2;

/** The first-move deadline of a side that got the turn at `nowMs`. */
const firstMoveBy = (nowMs: number, rules: Pick<ClockRules, 'firstMoveMs'>): string => new Date(nowMs + rules.firstMoveMs).toISOString();

/** The side to move was due to make its first move before `nowMs` (plus the lag allowance): the game is aborted. */
export function firstMoveLate(c: ClockState, nowMs: number, lagMs: number): boolean {
  return c.running === null && c.firstMoveBy !== undefined && nowMs > Date.parse(c.firstMoveBy) + lagMs;
}

/** Time charged to a clock that ran `elapsedMs`: the lag allowance off, never negative. */
export const charged = (elapsedMs: number, lagMs: number): number => Math.max(0, elapsedMs - lagMs);

/** The clocks as of `nowMs` (a snapshot): the running side's time counted down, never below zero. */
export function clockAt(c: ClockState, nowMs: number): ClockState {
  if (c.running === null) return c;
  const remainingMs: [number, number] = [...c.remainingMs];
  remainingMs[c.running] = Math.max(0, remainingMs[c.running] - Math.max(0, nowMs - Date.parse(c.at)));
  return { remainingMs, running: c.running, at: new Date(Math.max(nowMs, Date.parse(c.at))).toISOString() };
}

/**
 * The longest natural pause an agent may take before showing its move: its whole
 * "thinking" show when untimed, at most a thirtieth of what is left on its clock when
 * timed (so the troop never loses on time by acting slow; 15 s left → 500 ms), and before
 * its first move at most a quarter of what is left of its first-move wait (so a long time
 * control never lets a slow show abort the game).
 */
export function agentPauseBudgetMs(c: ClockState | null, seat: Seat, nowMs: number): number {
  if (!c) return Infinity;
  const clock = Math.floor(clockAt(c, nowMs).remainingMs[seat] / 30);
  if (c.running !== null || !c.firstMoveBy) return clock;
  return Math.min(clock, Math.floor(Math.max(0, Date.parse(c.firstMoveBy) - nowMs) / 4));
}

/** When the running side's flag falls (its time out plus the lag allowance), or null. */
export function flagTime(c: ClockState, lagMs: number): number | null {
  if (c.running === null) return null;
  return Date.parse(c.at) + c.remainingMs[c.running] + lagMs;
}

export interface MoveClock {
  clock: ClockState;
  /** The mover's time had run out before this move: the move does not count, the game is lost on time. */
  timeUp: boolean;
}

/**
 * The clocks after `seat` moved at `nowMs`, its move the `moveCount`th: the mover is
 * charged its time since the last commit (less the allowance) and gets the Fischer
 * increment, and the opponent's clock runs (none when the move ended the game). A first
 * move costs and earns nothing (its clock was not running), and an opponent that has not
 * moved yet gets a first-move deadline instead of a running clock.
 */
export function afterMove(
  c: ClockState, settings: ClockSettings, seat: Seat, nowMs: number, rules: Pick<ClockRules, 'lagMs' | 'firstMoveMs'>,
  over: boolean, moveCount: number,
): MoveClock {
  const remainingMs: [number, number] = [...c.remainingMs];
  const at = new Date(nowMs).toISOString();
  if (c.running === seat) {
    const left = remainingMs[seat] - charged(nowMs - Date.parse(c.at), rules.lagMs);
    if (left < 0) return { clock: c, timeUp: true };
    remainingMs[seat] = left + settings.incrementSeconds * 1000;
  }
  if (over) return { clock: { remainingMs, running: null, at }, timeUp: false };
  if (!clocksStarted(moveCount)) return { clock: { remainingMs, running: null, at, firstMoveBy: firstMoveBy(nowMs, rules) }, timeUp: false };
  return { clock: { remainingMs, running: other(seat), at }, timeUp: false };
}

/**
 * Brings a row's clocks and deadline up to date after any state change other than a
 * move (a join sets the clocks, full, with the first mover's first-move deadline; a
 * resignation, an agreed draw or a flag stops them; a takeback hands them to the side now
 * to move, nothing refunded): the running side is charged its time, and the clock of the
 * seat to move (if the game is active) runs from `now` — or, when that side has not made
 * its first move, a fresh first-move deadline starts. Idempotent for one `now`.
 */
export function rollClock(row: ClockedRow, now: Date, rules: ClockRules): void {
  const nowMs = now.getTime();
  const active = row.status === 'active';
  const waiting = active && !clocksStarted(row.move_count);
  const at = now.toISOString();
  if (row.clock && active && !row.clock_state) {
    const ms = row.clock.initialSeconds * 1000;
    row.clock_state = waiting
      ? { remainingMs: [ms, ms], running: null, at, firstMoveBy: firstMoveBy(nowMs, rules) }
      : { remainingMs: [ms, ms], running: row.turn, at };
  } else if (row.clock_state) {
    const c = row.clock_state;
    const remainingMs: [number, number] = [...c.remainingMs];
    if (c.running !== null) {
      remainingMs[c.running] = Math.max(0, remainingMs[c.running] - charged(nowMs - Date.parse(c.at), rules.lagMs));
    }
    if (waiting) row.clock_state = { remainingMs, running: null, at, firstMoveBy: firstMoveBy(nowMs, rules) };
    else {
      const running = active ? row.turn : null;
      if (c.running !== null || running !== null || c.firstMoveBy !== undefined) row.clock_state = { remainingMs, running, at };
    }
  }
  row.flag_at = deadline(row, nowMs, rules);
}

/**
 * The row's next deadline from a state change at `nowMs`: flag, first-move deadline (plus
 * the lag allowance, like a flag), idle expiry, open-seat expiry, or none.
 */
export function deadline(row: Pick<ClockedRow, 'status' | 'clock_state'>, nowMs: number, rules: ClockRules): Date | null {
  if (row.status === 'finished') return null;
  if (row.status === 'open') return new Date(nowMs + rules.openExpiryMs);
  const c = row.clock_state;
  const first = c?.running === null && c.firstMoveBy !== undefined ? Date.parse(c.firstMoveBy) + rules.lagMs : null;
  const flag = first ?? (c ? flagTime(c, rules.lagMs) : null);
  return new Date(flag ?? nowMs + rules.idleExpiryMs);
}
