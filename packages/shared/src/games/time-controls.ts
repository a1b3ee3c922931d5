import type { GameType } from '../schemas/games.js';
import { GAME_TYPES, GAMES } from './catalog.js';
import type { TimeControl } from './types.js';

export type { TimeControl } from './types.js';
export { timeControlLabel } from './define.js';

/** The presets the new-game form offers per game (untimed is always possible too), from each game's module. */
export const TIME_CONTROLS = Object.fromEntries(GAME_TYPES.map((t) => [t, GAMES[t].timeControls])) as {
  readonly [K in GameType]: readonly TimeControl[];
};
