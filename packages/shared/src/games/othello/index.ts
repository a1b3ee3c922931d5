// Othello as one module: its entry in GAMES (games/catalog.ts). The troop's part (search,
// reasons, each monkey's parameters) loads apart from the rules; see GameModule.troop.
import { defineGame } from '../define.js';
import { othello } from './engine.js';
import { OTHELLO_TIME_CONTROLS } from './meta.js';

export default defineGame({ type: 'othello', engine: othello, timeControls: OTHELLO_TIME_CONTROLS, troop: () => import('./troop.js') });

// What boards, tests and tools use by name: `@monkeytown/shared/games/othello`.
export * from './engine.js';
export * from './board.js';
export { OthelloMove } from './move.js';
export { OTHELLO_META, OTHELLO_TIME_CONTROLS } from './meta.js';
