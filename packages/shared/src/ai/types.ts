import type { Explanation } from './explanation.js';
import type { Rng } from './rng.js';
import type { ReviewKit } from './review/types.js';

/** Search and choice parameters every game's AI understands (games add their own). */
export interface SearchParams {
  /** Deepest iterative-deepening depth (plies). */
  maxDepth: number;
  /**
   * Node budget for one move. Search stops after the last depth that finished inside
   * the budget; a node budget (not wall-clock) keeps moves reproducible on any machine.
   */
  nodeBudget: number;
  /** Softmax temperature over root scores (evaluation units); 0 = always the best move. */
  temperature: number;
  /** Chance of a "blunder": a random legal move instead of the searched one. */
  blunderRate: number;
}

/** One searched move with the idea behind it, before it is phrased in a voice. */
export interface AiChoice<M> {
  move: M;
  explanation: Explanation;
  nodes: number;
  depth: number;
  /** True when the root result was reused from an identical earlier search. */
  cached?: boolean;
}

/**
 * A game's AI, the part of the game module the troop uses: `choose` searches with a
 * personality's parameters (`P`), `moveName` names a move for a hint ("column 4").
 * Pure and seeded: the same (state, params, rng) gives the same choice.
 */
export interface GameAi<S, M, P extends SearchParams> {
  choose(state: S, params: P, rng: Rng): AiChoice<M>;
  moveName(state: S, move: M): string;
  /**
   * Does a monkey on `agentSeat` accept a draw offer here? A cheap rule, no search: the
   * server answers inside the offer's transaction. `moveCount` counts plies played.
   */
  acceptsDraw(state: S, agentSeat: 0 | 1, moveCount: number): boolean;
  /** What the post-game review needs from this game: its search and its words (ai/review). */
  review: ReviewKit<S, M>;
}
