// Game registry: the engines, read off the one list of games (catalog.ts).
import type { GameType } from '../schemas/games.js';
import { GAME_TYPES, GAMES, type Games } from './catalog.js';
import type { GameEngine } from './types.js';

export * from './types.js';
export * from './define.js';
// The first three games' names, as their importers have always found them here. A game's
// own names live at `@monkeytown/shared/games/<type>` (its index.ts); nothing else needs listing.
export * from './tictactoe/index.js';
export * from './connect4/index.js';
export * from './chess/index.js';
export { GAME_TYPES, GAMES, type Games, type GameTypeName } from './catalog.js';
export * from './time-controls.js';
export * from './pgn-tags.js';

export type Engines = { readonly [K in GameType]: Games[K]['engine'] };
export const ENGINES = Object.fromEntries(GAME_TYPES.map((t) => [t, GAMES[t].engine])) as Engines;

/** A game's state and move types, looked up by name. */
export type StateOf<K extends GameType> = Engines[K] extends GameEngine<infer S, infer _M> ? S : never;
export type MoveOf<K extends GameType> = Engines[K] extends GameEngine<infer _S, infer M> ? M : never;

/** Every game type is supported: the API's GameType is derived from the same list. */
export type SupportedGameType = GameType;
export const SUPPORTED_GAME_TYPES: readonly GameType[] = GAME_TYPES;

export function isSupportedGameType(type: string): type is GameType {
  return Object.prototype.hasOwnProperty.call(GAMES, type);
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

/** Whether every engine method of `type` can run now (true for a game with nothing to load, see GameModule.lazy). */
export function engineLoaded(type: string): boolean {
  return !isSupportedGameType(type) || (GAMES[type].lazy?.loaded() ?? true);
}

/** Load what `type`'s engine needs (once; resolves at once when loaded). */
export function loadEngine(type: string): Promise<void> {
  const lazy = isSupportedGameType(type) ? GAMES[type].lazy : null;
  return lazy && !lazy.loaded() ? lazy.load() : Promise.resolve();
}

/** Load every game's lazily loaded parts (the game-server and the AI workers, before their first move). */
export function loadEngines(): Promise<void> {
  return Promise.all(GAME_TYPES.map(loadEngine)).then(() => undefined);
}

export function enginesLoaded(): boolean {
  return GAME_TYPES.every(engineLoaded);
}
