// Chess's AI for the troop: alpha-beta over the fast board (search.ts, evaluate.ts),
// personality on top (style bonuses, softmax, seeded blunders), reasons from the real
// position and the searched line (explain.ts).
import type { ChessMove } from '../move.js';
import type { GameAi, SearchParams } from '../../../ai/types.js';
import { pickPersonal, type Rng } from '../../../ai/rng.js';
import { Board, F_CAPTURE, moveFlags, moveUci } from '../board.js';
import { chess, type ChessState } from '../engine.js';
import { chessExplain, sanLine } from './explain.js';
import { material } from './evaluate.js';
import { isMateScore, Searcher, type RootResult } from './search.js';
import { chessReview } from './review.js';

export interface ChessParams extends SearchParams {
  /** Centipawns per square of piece mobility in the evaluation. */
  mobility: number;
  /** Weight of the king's shelter (castled, behind pawns) in the middlegame. */
  kingSafety: number;
  /** Root bonus (cp) for captures and checks: sharp players like forcing moves. */
  sharpness: number;
  /** Root bonus (cp) for quiet moves: solid players avoid complications. */
  quietness: number;
  /** Late-move reductions in the search (deeper for the same nodes); off when absent. */
  reductions?: boolean;
}

/** The search board for a state, with the repetition history the rules keep. */
export function boardOf(state: ChessState): Board {
  const b = Board.fromFen(state.fen);
  for (const key of state.repetition.slice(0, -1)) b.history.push(Board.fromFen(`${key} 0 1`).hashLo);
  return b;
}

// Root results by parameters + position + history, as for connect four: openings repeat,
// so this is a self-built opening book per worker. Bounded; oldest first out.
const ROOT_CACHE_MAX = 2048;
const rootCache = new Map<string, RootResult>();

export function clearChessCache(): void {
  rootCache.clear();
}

function searchCached(state: ChessState, p: ChessParams, margin: number): RootResult & { cached: boolean } {
  const key = `${p.maxDepth}|${p.nodeBudget}|${p.reductions ? 'r' : ''}|${p.mobility}|${p.kingSafety}|${margin}|${state.repetition.join(',')}|${state.fen}`;
  const hit = rootCache.get(key);
  if (hit) return { ...hit, cached: true };
  const root = new Searcher(boardOf(state), { mobility: p.mobility, kingSafety: p.kingSafety }, p.nodeBudget, p.reductions).searchRoot(p.maxDepth, margin);
  if (rootCache.size >= ROOT_CACHE_MAX) rootCache.delete(rootCache.keys().next().value as string);
  rootCache.set(key, root);
  return { ...root, cached: false };
}

export const chessAi: GameAi<ChessState, ChessMove, ChessParams> = {
  choose(state, params, rng: Rng) {
    const margin = params.temperature * 3 + params.sharpness + params.quietness;
    const root = searchCached(state, params, margin);
    const board = Board.fromFen(state.fen);
    // Only moves with exact scores compete (the others are upper bounds more than the
    // margin below the best); style bonuses then reorder near-equal candidates.
    const adjusted = root.scores.map(({ move, score, exact }) => {
      if (!exact) return -Infinity;
      if (isMateScore(score)) return score;
      const forcing = moveFlags(move) & F_CAPTURE || givesCheck(board, move);
      return score + (forcing ? params.sharpness : params.quietness);
    });
    const { pick, blunder } = pickPersonal(adjusted, params, rng);
    const chosen = root.scores[pick]!;
    const pv = pick === 0 ? root.pv : [chosen.move];
    let explanation = chessExplain(state.fen, chosen.move, chosen.score, pv);
    if (blunder && ['build', 'develop', 'centre', 'hold'].includes(explanation.code)) {
      explanation = { code: 'hunch', plain: `tries ${sanLine(state.fen, [chosen.move])[0] ?? moveUci(chosen.move)} on a hunch`, tip: 'every move should have a reason: look at checks, captures and threats first.' };
    }
    return { move: { uci: moveUci(chosen.move) }, explanation, nodes: root.nodes, depth: root.depth, cached: root.cached };
  },
  moveName: (state, move) => chess.describeMove(state, move),
  /** Accept when a minor piece or more behind, or level from move 60 on (120 plies); never when ahead. */
  acceptsDraw(state, agentSeat, moveCount) {
    const ahead = chessAdjudicate(state);
    if (ahead === agentSeat) return false;
    return ahead !== null || moveCount >= 120;
  },
  review: chessReview,
};

function givesCheck(b: Board, m: number): boolean {
  if (!b.make(m)) return false;
  const check = b.inCheck();
  b.unmake(m);
  return check;
}

export { Board as ChessBoard } from '../board.js';
export { Searcher as ChessSearcher } from './search.js';

/**
 * Result of an unfinished game for ladders: a side ahead by at least a minor piece in
 * material wins, anything closer is a draw (as engine matches adjudicate).
 */
export function chessAdjudicate(state: ChessState): 0 | 1 | null {
  const b = Board.fromFen(state.fen);
  const diff = material(b, 0) - material(b, 1);
  return diff >= 300 ? 0 : diff <= -300 ? 1 : null;
}
