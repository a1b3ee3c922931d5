// Tic-tac-toe as one module: its entry in GAMES (games/catalog.ts).
import { defineGame, timeControl } from '../define.js';
import { tictactoe } from './engine.js';

export default defineGame({
  type: 'tictactoe',
  engine: tictactoe,
  // A game lasts seconds: short presets.
  timeControls: [timeControl(15, 2), timeControl(30, 3), timeControl(60, 5)],
  troop: () => import('./troop.js'),
});

export * from './engine.js';
export { TicTacToeMove } from './move.js';
