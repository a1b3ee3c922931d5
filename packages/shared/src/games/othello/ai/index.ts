// Othello's AI for the troop: alpha-beta over one mutable board (search.ts) with the
// personality in the evaluation weights (mobility, corners, frontier, discs, parity),
// softmax and seeded blunders on top, and reasons from the real position (explain.ts).
import type { GameAi } from '../../../ai/types.js';
import { pickPersonal, type Rng } from '../../../ai/rng.js';
import { CORNERS, squareName } from '../board.js';
import type { OthelloState } from '../engine.js';
import type { OthelloMove } from '../move.js';
import { othelloExplain } from './explain.js';
import { othelloReview } from './review.js';
import { OthelloSearcher } from './search.js';
import type { OthelloParams } from './champion.js';

export type { OthelloParams } from './champion.js';

export const othelloAi: GameAi<OthelloState, OthelloMove, OthelloParams> = {
  choose(state, params, rng: Rng) {
    const s = new OthelloSearcher(state.cells, state.turn, params, params.nodeBudget, params.exactEmpties);
    // Scores are in evaluation points (about 10 per move of mobility); the margin keeps
    // every move the softmax could pick exactly scored.
    const root = s.searchRoot(params.maxDepth, params.temperature * 4);
    const { pick, blunder } = pickPersonal(
      root.scores.map((r) => (r.exact ? r.score : -Infinity)),
      params,
      rng,
    );
    const chosen = root.scores[pick]!;
    let explanation = othelloExplain(state.cells, state.turn, chosen.square, root.depth > 0 ? chosen.score : null);
    if (blunder && ['build', 'quiet', 'edge'].includes(explanation.code)) {
      explanation = { code: 'hunch', plain: `plays ${squareName(chosen.square)} on a hunch`, tip: 'look at corners and at how many moves you leave your opponent before you play.' };
    }
    const move = { square: chosen.square < 0 ? 'pass' : squareName(chosen.square) };
    return { move, explanation, nodes: root.nodes, depth: root.depth };
  },
  moveName: (_state, move) => (move.square === 'pass' ? 'passing' : move.square),
  /**
   * Disc counts swing to the last move, so: decline before ply 40; after it, accept
   * unless the monkey holds more corners than its opponent (the one lasting advantage).
   */
  acceptsDraw(state, agentSeat, moveCount) {
    if (moveCount < 40) return false;
    let corners = 0;
    for (const k of CORNERS) if (state.cells[k] !== null) corners += state.cells[k] === agentSeat ? 1 : -1;
    return corners <= 0;
  },
  review: othelloReview,
};

export { OthelloSearcher } from './search.js';
