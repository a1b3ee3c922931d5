/**
 * THE list of games: each entry is a game's own module (`defineGame` in games/<type>/index.ts).
 * Everything else is derived from it: the zod `GameType` and `Move` (schemas/games.ts),
 * ENGINES, metadata and time controls (games/index.ts, games/meta.ts), the AI registry and
 * the personalities' per-game parameters (ai/registry.ts, ai/profiles.ts). The web's board
 * map is typed over `GameType`, so a game without a board fails `tsc`. Adding a game is a
 * folder, one import here and its name in GAMES (docs/architecture.md, "Adding a game").
 */
import type { GameModule } from './define.js';
import tictactoe from './tictactoe/index.js';
import connect4 from './connect4/index.js';
import chess from './chess/index.js';
import othello from './othello/index.js';

const LIST = { tictactoe, connect4, chess, othello };

/** Each entry's key is its game's `type` (else this does not typecheck). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- games differ in state, move and parameters.
type Checked<G> = { readonly [K in keyof G]: G[K] extends GameModule<K & string, any, any, any> ? G[K] : never };
export const GAMES: Checked<typeof LIST> = LIST;
export type Games = typeof LIST;

export type GameTypeName = keyof Games & string;
/** The names, in the list's order (the lobby's order too). */
export const GAME_TYPES = Object.keys(GAMES) as readonly GameTypeName[];
