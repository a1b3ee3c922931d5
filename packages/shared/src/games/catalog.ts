/**
 * THE list of games. Everything else is derived from it: the zod `GameType` (so a type
 * in the API is playable, or it does not exist), the engine registry (`games/index.ts`),
 * the AI registry (`ai/registry.ts`), the personalities' per-game parameters
 * (`ai/profiles.ts`) and the web's board map. Those are typed as mapped types over
 * `GameType`, so adding a name here without its engine, AI, parameters or board fails
 * `npm run typecheck`. This file imports nothing, so the schemas can depend on it.
 */
export const GAME_TYPES = ['tictactoe', 'connect4', 'chess', 'othello'] as const;
export type GameTypeName = (typeof GAME_TYPES)[number];
