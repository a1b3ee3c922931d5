// Othello as one module: everything the registries need about the game, from this folder.
// The maps in games/index.ts, games/meta.ts, time-controls.ts, ai/registry.ts and
// ai/profiles.ts each take their entry from here.

export { othello, othelloStart, type OthelloState } from './engine.js';
export { OthelloMove } from './move.js';
export { OTHELLO_META, OTHELLO_TIME_CONTROLS } from './meta.js';
export { othelloAi, OthelloSearcher, type OthelloParams } from './ai/index.js';
export { OTHELLO_TROOP } from './troop.js';
export * from './board.js';
