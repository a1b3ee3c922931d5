import type { GameType } from '../schemas/games.js';
import { GAME_TYPES, GAMES } from './catalog.js';
import type { TimeControl } from './types.js';

export type { TimeControl } from './types.js';
export { timeControlLabel } from './define.js';

/**
 * Timed games (lichess's rule): a side's clock starts only after its first move, and a
 * side that has not made its first move this long after it got the turn aborts the game,
 * unrated (`{winner: null, reason: 'aborted', detail: FIRST_MOVE_ABORT_DETAIL}`). The
 * server's default (`FIRST_MOVE_TIMEOUT_SECONDS` configures it).
 */
export const FIRST_MOVE_TIMEOUT_SECONDS = 30;
/** The result detail of a game aborted because a first move never came. */
export const FIRST_MOVE_ABORT_DETAIL = 'no first move in time';

/** The presets the new-game form offers per game (untimed is always possible too), from each game's module. */
export const TIME_CONTROLS = Object.fromEntries(GAME_TYPES.map((t) => [t, GAMES[t].timeControls])) as {
  readonly [K in GameType]: readonly TimeControl[];
};
