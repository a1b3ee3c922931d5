// Connect four's AI for the troop: alpha-beta search (search.ts) over an incremental
// board (board.ts), personality on top (choose.ts), reasons from the position (explain.ts).
import type { Connect4Move } from '../move.js';
import type { GameAi } from '../../../ai/types.js';
import type { Connect4State } from '../engine.js';
import { c4Choose, type Connect4Params } from './choose.js';
import { connect4Review } from './review.js';

export { c4Choose, clearSearchCache, type Connect4Params, type C4Choice } from './choose.js';
export { Board as Connect4Board } from './board.js';
export { Searcher as Connect4Searcher, WIN as C4_WIN } from './search.js';

export const connect4Ai: GameAi<Connect4State, Connect4Move, Connect4Params> = {
  choose(state, params, rng) {
    const c = c4Choose(state, params, rng);
    return { move: { column: c.column }, explanation: c.explanation, nodes: c.nodes, depth: c.depth, cached: c.cached };
  },
  moveName: (_state, move) => `column ${move.column + 1}`,
  /** Late in the game (30 or more of the 42 discs down) most games are decided or drawn-ish. */
  acceptsDraw: (_state, _seat, moveCount) => moveCount >= 30,
  review: connect4Review,
};
