import { engineFor, FIRST_MOVE_ABORT_DETAIL, type ClockState, type GameResult, type GameStatus, type Seat } from '@monkeytown/shared';

/**
 * What a game's deadline (games.flag_at, passed with nothing else happening first)
 * ends it with:
 * - a timed game whose running clock ran out: `timeout`, won by the other side, or a
 *   draw ("insufficient material") when the game says the other side cannot win any more
 *   (its engine's `canStillWin` hook: chess's mating material);
 * - a timed game whose side to move never made its first move (its first-move deadline):
 *   `aborted`, no winner, never rated;
 * - an active untimed game idle past its expiry, or an open seat nobody took:
 *   `abandoned`, no winner.
 */
export function deadlineResult(row: { type: string; status: GameStatus; state: unknown; clock_state: ClockState | null }): GameResult | null {
  if (row.status === 'finished') return null;
  if (row.status === 'active' && row.clock_state?.running === null && row.clock_state.firstMoveBy !== undefined) {
    return { winner: null, reason: 'aborted', detail: FIRST_MOVE_ABORT_DETAIL };
  }
  const flagged = row.status === 'active' ? row.clock_state?.running ?? null : null;
  if (flagged === null) return { winner: null, reason: 'abandoned' };
  const winner: Seat = flagged === 0 ? 1 : 0;
  if (engineFor(row.type)?.canStillWin(row.state, winner) === false) return { winner: null, reason: 'timeout', detail: 'insufficient material' };
  return { winner, reason: 'timeout' };
}
