import type { SearchParams } from '../../../ai/types.js';
import type { OthelloWeights } from './search.js';

export interface OthelloParams extends SearchParams, OthelloWeights {
  /** Solve the ending exactly (final disc count) with this many empty squares or fewer. */
  exactEmpties: number;
}

/**
 * ChampionChimp's Othello: the troop's strongest line (troop.ts), and the search the
 * post-game review uses (review.ts), so the review sees at least what the best monkey
 * sees. Its own module so the review need not import the troop (which imports the AI).
 */
export const CHAMPION_PARAMS: OthelloParams = {
  maxDepth: 64, nodeBudget: 40_000, temperature: 0, blunderRate: 0, mobility: 10, corners: 90, frontier: 4, discs: 0, parity: 8, exactEmpties: 12,
};
