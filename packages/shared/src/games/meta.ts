// What people see about each game — titles, blurbs, seat names, time controls — read off
// the one list of games. Pages that only list games import this entry point
// (`@monkeytown/shared/games/meta`); the rules it reaches are small and chess.js stays lazy,
// and no game's AI is here (each game's troop part loads apart, see games/define.ts).
import type { GameType } from '../schemas/games.js';
import { GAME_TYPES, GAMES } from './catalog.js';
import type { GameMeta } from './types.js';

export { GAME_TYPES } from './catalog.js';
export * from './time-controls.js';
export type { GameMeta } from './types.js';

export const GAME_META = Object.fromEntries(GAME_TYPES.map((t) => [t, GAMES[t].meta])) as { readonly [K in GameType]: GameMeta };

/** A game type's metadata; undefined for a string that is not a game (e.g. an old row). */
export function gameMeta(type: string): GameMeta | undefined {
  return (GAME_TYPES as readonly string[]).includes(type) ? GAME_META[type as GameType] : undefined;
}
