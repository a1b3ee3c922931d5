// AI registry: one GameAi per name in GAME_TYPES. The mapped type makes a game without
// an AI a type error; the personalities' parameter types are read from here.
import type { GameType } from '../schemas/games.js';
import type { MoveOf, StateOf } from '../games/index.js';
import { connect4Ai } from '../games/connect4/ai/index.js';
import { tictactoeAi } from '../games/tictactoe/ai.js';
import { chessAi } from '../games/chess/ai/index.js';
import { othelloAi } from '../games/othello/ai/index.js';
import type { GameAi, SearchParams } from './types.js';

export const GAME_AI = { tictactoe: tictactoeAi, connect4: connect4Ai, chess: chessAi, othello: othelloAi } as const satisfies {
  readonly [K in GameType]: GameAi<StateOf<K>, MoveOf<K>, SearchParams>;
};

/** The parameters a personality gives for game K (e.g. connect four adds attack/defence). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ParamsOf<K extends GameType> = (typeof GAME_AI)[K] extends GameAi<any, any, infer P> ? P : never;

/** A personality's parameters for every game. */
export type GameParams = { readonly [K in GameType]: ParamsOf<K> };
