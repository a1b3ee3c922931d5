// Chess as one module: its entry in GAMES (games/catalog.ts).
import { defineGame, timeControl } from '../define.js';
import { chess } from './engine.js';
import { chessRulesLoaded, loadChessRules } from './rules.js';

export default defineGame({
  type: 'chess',
  engine: chess,
  // lichess's bullet/blitz/rapid classics.
  timeControls: [timeControl(60, 0), timeControl(180, 2), timeControl(300, 3), timeControl(600, 5)],
  // chess.js loads on first need (rules.ts).
  lazy: { load: loadChessRules, loaded: chessRulesLoaded },
  troop: () => import('./troop.js'),
});

export * from './engine.js';
export { ChessMove } from './move.js';
export { chessRulesLoaded, loadChessRules } from './rules.js';
