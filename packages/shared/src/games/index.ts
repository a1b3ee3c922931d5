// Game registry: adding a game is one module plus one line in ENGINES.
import type { GameType } from '../schemas/games.js';
import { connect4 } from './connect4.js';
import { tictactoe } from './tictactoe.js';
import type { GameEngine } from './types.js';

export * from './types.js';
export * from './tictactoe.js';
export * from './connect4.js';

/** Game types with an engine today ('chess' is in the schema but not implemented yet). */
export type SupportedGameType = 'tictactoe' | 'connect4';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- engines differ in S/M; callers narrow by type.
export const ENGINES: Readonly<Record<SupportedGameType, GameEngine<any, any>>> = {
  tictactoe,
  connect4,
};

export const SUPPORTED_GAME_TYPES = Object.keys(ENGINES) as SupportedGameType[];

export function isSupportedGameType(type: string): type is SupportedGameType {
  return Object.prototype.hasOwnProperty.call(ENGINES, type);
}

/** The engine for a game type, or undefined when that game is not implemented (chess). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function engineFor(type: GameType | string): GameEngine<any, any> | undefined {
  return isSupportedGameType(type) ? ENGINES[type] : undefined;
}

/** Like engineFor, but throws for an unsupported type (for code paths that already checked). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function getEngine(type: GameType | string): GameEngine<any, any> {
  const engine = engineFor(type);
  if (!engine) throw new Error(`no engine for game type "${type}"`);
  return engine;
}
