// Titles and blurbs come from each game's metadata in the shared game list (the meta entry
// point: no engine, so the lobby does not load chess.js).
import { GAME_META, GAME_TYPES, gameMeta } from '@monkeytown/shared/games/meta';
import type { GameType } from '@monkeytown/shared/schemas';

export const GAME_TITLES = Object.fromEntries(GAME_TYPES.map((t) => [t, GAME_META[t].title])) as Record<GameType, string>;
export const GAME_BLURB = Object.fromEntries(GAME_TYPES.map((t) => [t, GAME_META[t].blurb])) as Record<GameType, string>;
/** Every game in the list has an engine, an AI and a board (the maps are checked by tsc). */
export const PLAYABLE_TYPES: readonly GameType[] = GAME_TYPES;

/** A title for a type read off the wire (an unknown string shows as itself). */
export function gameTitle(type: string): string {
  return gameMeta(type)?.title ?? type;
}
