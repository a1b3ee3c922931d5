// Connect four as one module: its entry in GAMES (games/catalog.ts).
import { defineGame, timeControl } from '../define.js';
import { connect4 } from './engine.js';

export default defineGame({
  type: 'connect4',
  engine: connect4,
  // 42 plies at most: presets of a minute to a few.
  timeControls: [timeControl(60, 2), timeControl(180, 3), timeControl(300, 5)],
  troop: () => import('./troop.js'),
});

export * from './engine.js';
export { Connect4Move } from './move.js';
