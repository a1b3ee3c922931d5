// AI registry: each game's AI and the troop's parameters for it, read off the one list of
// games (games/catalog.ts). A game's troop part is a dynamic import in its module (so the
// pages that import the game list do not ship every search, see GameModule.troop); this
// entry point (`@monkeytown/shared/ai`: the server's AI, tests, benches, a hint button's
// on-demand import) loads them all before anything here runs, so lookups stay synchronous.
import type { GameType } from '../schemas/games.js';
import type { AgentId } from '../schemas/game-basics.js';
import { GAME_TYPES, GAMES, type Games } from '../games/catalog.js';
import type { GameAi } from './types.js';

/** Game K's troop part: its AI and each monkey's parameters. */
export type TroopOf<K extends GameType> = Awaited<ReturnType<Games[K]['troop']>>;

const parts = await Promise.all(GAME_TYPES.map(async (t) => [t, await GAMES[t].troop()] as const));

export const GAME_AI = Object.fromEntries(parts.map(([t, part]) => [t, part.ai])) as { readonly [K in GameType]: TroopOf<K>['ai'] };

/** The parameters a personality gives for game K (e.g. connect four adds attack/defence). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ParamsOf<K extends GameType> = TroopOf<K>['ai'] extends GameAi<any, any, infer P> ? P : never;

/** A personality's parameters for every game. */
export type GameParams = { readonly [K in GameType]: ParamsOf<K> };

/** Each game's table of the troop's parameters, one row per monkey. */
export const TROOP_PARAMS = Object.fromEntries(parts.map(([t, part]) => [t, part.params])) as {
  readonly [K in GameType]: { readonly [A in AgentId]: ParamsOf<K> };
};

/** Each game's measured rating per monkey (bench/ai/calibrate.ts; the server seeds agents from it). */
export const TROOP_RATINGS = Object.fromEntries(parts.map(([t, part]) => [t, part.ratings])) as {
  readonly [K in GameType]: { readonly [A in AgentId]: number };
};

/** One monkey's parameters for every game, from the games' tables. */
export function gameParamsOf(agentId: AgentId): GameParams {
  return Object.fromEntries(GAME_TYPES.map((t) => [t, TROOP_PARAMS[t][agentId]])) as GameParams;
}
