// What people see about each game — titles, blurbs, seat names, time controls — without
// its rules. Pages that only list games (the lobby) import this entry point
// (`@monkeytown/shared/games/meta`), so they do not load any engine: chess.js stays out
// of the lobby's bundle.
import type { GameType } from '../schemas/games.js';
import { GAME_TYPES } from './catalog.js';
import { CHESS_META } from './chess/meta.js';
import { CONNECT4_META } from './connect4/meta.js';
import { TICTACTOE_META } from './tictactoe/meta.js';
import { OTHELLO_META } from './othello/meta.js';
import type { GameMeta } from './types.js';

export { GAME_TYPES } from './catalog.js';
export * from './time-controls.js';
export type { GameMeta } from './types.js';

export const GAME_META: { readonly [K in GameType]: GameMeta } = {
  tictactoe: TICTACTOE_META,
  connect4: CONNECT4_META,
  chess: CHESS_META,
  othello: OTHELLO_META,
};

/** A game type's metadata; undefined for a string that is not a game (e.g. an old row). */
export function gameMeta(type: string): GameMeta | undefined {
  return (GAME_TYPES as readonly string[]).includes(type) ? GAME_META[type as GameType] : undefined;
}
