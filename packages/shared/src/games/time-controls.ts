import type { ClockSettings, GameType } from '../schemas/games.js';
import { OTHELLO_TIME_CONTROLS } from './othello/meta.js';
import type { TimeControl } from './types.js';

export type { TimeControl } from './types.js';

/** "3+2" (minutes + seconds per move), "15s+2" under a whole minute: for presets and any stored clock. */
export function timeControlLabel({ initialSeconds, incrementSeconds }: ClockSettings): string {
  return initialSeconds >= 60 && initialSeconds % 60 === 0
    ? `${initialSeconds / 60}+${incrementSeconds}`
    : `${initialSeconds}s+${incrementSeconds}`;
}

/**
 * Timed games (lichess's rule): a side's clock starts only after its first move, and a
 * side that has not made its first move this long after it got the turn aborts the game,
 * unrated (`{winner: null, reason: 'aborted', detail: FIRST_MOVE_ABORT_DETAIL}`). The
 * server's default (`FIRST_MOVE_TIMEOUT_SECONDS` configures it).
 */
export const FIRST_MOVE_TIMEOUT_SECONDS = 30;
/** The result detail of a game aborted because a first move never came. */
export const FIRST_MOVE_ABORT_DETAIL = 'no first move in time';

const tc = (initialSeconds: number, incrementSeconds: number): TimeControl => ({
  initialSeconds,
  incrementSeconds,
  label: timeControlLabel({ initialSeconds, incrementSeconds }),
});

/**
 * The presets the new-game form offers per game (untimed is always possible too). Chess
 * gets lichess's bullet/blitz/rapid classics; the small games last seconds to a couple
 * of minutes, so theirs are short.
 */
export const TIME_CONTROLS: { readonly [K in GameType]: readonly TimeControl[] } = {
  tictactoe: [tc(15, 2), tc(30, 3), tc(60, 5)],
  connect4: [tc(60, 2), tc(180, 3), tc(300, 5)],
  chess: [tc(60, 0), tc(180, 2), tc(300, 3), tc(600, 5)],
  othello: OTHELLO_TIME_CONTROLS,
};
