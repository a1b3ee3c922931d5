// Game registry: one engine per name in GAME_TYPES (catalog.ts). The mapped type makes a
// missing engine a type error; registry.test.ts checks there is nothing extra.
import type { GameType } from '../schemas/games.js';
import { GAME_TYPES } from './catalog.js';
import { chess } from './chess/engine.js';
import { connect4 } from './connect4/engine.js';
import { tictactoe } from './tictactoe/engine.js';
import { othello } from './othello/engine.js';
import { chessRulesLoaded, loadChessRules } from './chess/rules.js';
import type { GameEngine } from './types.js';

export * from './types.js';
export * from './tictactoe/engine.js';
export * from './connect4/engine.js';
export * from './chess/engine.js';
export * from './othello/engine.js';
export * from './othello/board.js';
export { chessRulesLoaded, loadChessRules } from './chess/rules.js';
export { GAME_TYPES } from './catalog.js';
export * from './time-controls.js';
export * from './pgn-tags.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- engines differ in S/M; see StateOf/MoveOf.
export const ENGINES = { tictactoe, connect4, chess, othello } as const satisfies { readonly [K in GameType]: GameEngine<any, any> };
export type Engines = typeof ENGINES;

/** A game's state and move types, looked up by name. */
export type StateOf<K extends GameType> = Engines[K] extends GameEngine<infer S, infer _M> ? S : never;
export type MoveOf<K extends GameType> = Engines[K] extends GameEngine<infer _S, infer M> ? M : never;

/** Every game type is supported: the API's GameType is derived from the same list. */
export type SupportedGameType = GameType;
export const SUPPORTED_GAME_TYPES: readonly GameType[] = GAME_TYPES;

export function isSupportedGameType(type: string): type is GameType {
  return Object.prototype.hasOwnProperty.call(ENGINES, type);
}

/** The engine for a game type; undefined only for a string that is not a game (e.g. an old row). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function engineFor(type: string): GameEngine<any, any> | undefined {
  return isSupportedGameType(type) ? ENGINES[type] : undefined;
}

/** Like engineFor, but throws for a name that is not a game. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function getEngine(type: string): GameEngine<any, any> {
  const engine = engineFor(type);
  if (!engine) throw new Error(`no engine for game type "${type}"`);
  return engine;
}

/**
 * What a game loads on first need (chess: chess.js, see chess/rules.ts), so that starting a
 * server or opening another game's page does not pay for it. Typed over GameType: a new
 * game says whether it has anything to load.
 */
const LAZY: { readonly [K in GameType]: { load(): Promise<void>; loaded(): boolean } | null } = {
  tictactoe: null,
  connect4: null,
  chess: { load: loadChessRules, loaded: chessRulesLoaded },
  othello: null,
};

/** Whether every engine method of `type` can run now (true for a game with nothing to load). */
export function engineLoaded(type: string): boolean {
  return !isSupportedGameType(type) || (LAZY[type]?.loaded() ?? true);
}

/** Load what `type`'s engine needs (once; resolves at once when loaded). */
export function loadEngine(type: string): Promise<void> {
  return isSupportedGameType(type) && LAZY[type] && !LAZY[type].loaded() ? LAZY[type].load() : Promise.resolve();
}

/** Load every game's lazily loaded parts (the game-server and the AI workers, before their first move). */
export function loadEngines(): Promise<void> {
  return Promise.all(GAME_TYPES.map(loadEngine)).then(() => undefined);
}

export function enginesLoaded(): boolean {
  return GAME_TYPES.every(engineLoaded);
}
