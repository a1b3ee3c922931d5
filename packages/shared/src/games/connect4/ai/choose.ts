import type { Connect4State } from '../engine.js';
import type { SearchParams } from '../../../ai/types.js';
import type { Explanation } from '../../../ai/explanation.js';
import { pickPersonal, type Rng } from '../../../ai/rng.js';
import { Board } from './board.js';
import { c4Reason } from './insight.js';
import { Searcher, isLossScore, type RootResult } from './search.js';

/** Connect four adds evaluation style weights to the common parameters. */
export interface Connect4Params extends SearchParams {
  /** Weight of own open lines in the evaluation. */
  attack: number;
  /** Weight of the opponent's open lines in the evaluation. */
  defence: number;
  /** Root bonus for moves that create new threats (traps). */
  trickiness: number;
}

/**
 * Root results by (parameters, position). A search depends only on those two, so a hit
 * is exactly what the search would return — it just skips the work. Games repeat
 * openings all the time (every game vs ChampionChimp starts the same way), so this
 * acts as a self-built opening book. Bounded; oldest entries go first.
 */
const ROOT_CACHE_MAX = 4096;
const rootCache = new Map<string, RootResult>();

/** Forget cached searches (benchmarks measure real searches). */
export function clearSearchCache(): void {
  rootCache.clear();
}

function searchCached(board: Board, params: Connect4Params, margin: number): RootResult & { cached: boolean } {
  const key = `${params.maxDepth}|${params.nodeBudget}|${params.attack}|${params.defence}|${margin}|${board.side}|${board.cells.join('')}`;
  const hit = rootCache.get(key);
  if (hit) return { ...hit, cached: true };
  const searcher = new Searcher(board, { attack: params.attack, defence: params.defence }, params.nodeBudget);
  const root = searcher.searchRoot(params.maxDepth, margin);
  if (rootCache.size >= ROOT_CACHE_MAX) rootCache.delete(rootCache.keys().next().value as string);
  rootCache.set(key, root);
  return { ...root, cached: false };
}

export interface C4Choice {
  column: number;
  explanation: Explanation;
  blunder: boolean;
  nodes: number;
  depth: number;
  /** True when the root result came from the cache (nodes are those of the original search). */
  cached: boolean;
  scores: { column: number; score: number }[];
}

/**
 * Choose a connect-four move for the side to move with a personality's parameters:
 * real alpha-beta search, then a style bonus (trickiness rewards new threats) and a
 * softmax over scores (temperature), with a seeded chance of a blunder.
 */
export function c4Choose(state: Connect4State, params: Connect4Params, rng: Rng): C4Choice {
  const board = Board.fromState(state);
  const margin = params.temperature * 4 + params.trickiness * 2;
  const root = searchCached(board, params, margin);

  // Style: the trickster likes moves that add threats (including hidden ones higher up).
  const threatsBefore = params.trickiness > 0 ? board.threatCells(board.side).length : 0;
  const adjusted = root.scores.map((s) => {
    if (params.trickiness <= 0 || isLossScore(s.score)) return s.score;
    board.play(s.column);
    const added = board.threatCells((1 - board.side) as 0 | 1).length - threatsBefore;
    board.undo(s.column);
    return s.score + params.trickiness * Math.max(0, added);
  });

  const { pick, blunder } = pickPersonal(adjusted, params, rng);
  const chosen = root.scores[pick]!;
  let explanation = c4Reason(board, chosen.column, root.scores);
  if (blunder && (explanation.code === 'build' || explanation.code === 'centre' || explanation.code === 'avoid')) {
    explanation = {
      code: 'hunch',
      plain: `tries column ${chosen.column + 1} on a hunch`,
      tip: 'every move should have a reason: look for threats before you play.',
    };
  }
  return {
    column: chosen.column,
    explanation,
    blunder,
    nodes: root.nodes,
    depth: root.depth,
    cached: root.cached,
    scores: root.scores.map(({ column, score }) => ({ column, score })),
  };
}
