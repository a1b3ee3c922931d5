// The review kit: what each game gives the post-game review (games/<type>/ai/review.ts),
// below the troop. The generic review (this folder) replays the game, asks the game's kit
// to search each position and to say what a move did in the game's own terms, and finds
// the swings, the turning point and the accuracy itself.
import type { Seat } from '../../schemas/game-basics.js';

/** One searched position, from the side to move. */
export interface PositionAnalysis<M> {
  /** The search's score for the side to move, on the game's own scale. */
  score: number;
  best: M;
  /** The best line, starting with `best`. */
  line: M[];
}

/**
 * How the review names the two sides: the reviewing monkey says "I"/"me"/"my" about its
 * own seat and "you"/"your" about its opponent; a review of two other players names seats.
 */
export interface Sides {
  subject(seat: Seat): string;
  object(seat: Seat): string;
  possessive(seat: Seat): string;
}

/** A move that gave something away, for its game to put in words. */
export interface SlipContext<S, M> {
  before: S;
  played: M;
  after: S;
  /** The opponent's best answer and its line from `after` (null: the game ended there). */
  reply: PositionAnalysis<M> | null;
  mover: Seat;
  sides: Sides;
  /** Chess marks the move ("?", "??", "?!"), the simple games do not. */
  mark: string;
}

export interface ReviewKit<S, M> {
  /** The position the game started from, read from its final state (chess keeps a start FEN). */
  start(final: S): S;
  /** Search `state` for the side to move; null once the game is over there. */
  analyse(state: S): PositionAnalysis<M> | null;
  /** The side to move's winning chance (0..1, a draw 0.5) for a search score. */
  expectation(score: number): number;
  /** A line's moves as a player writes them, from `state`: ["14… Qa5+", "15. c3"], ["column 4", "column 3"]. */
  lineMoves(state: S, line: readonly M[]): string[];
  /** What joins them in a sentence (" " for chess, ", then " for the others). */
  lineJoin: string;
  /** The first sentence about a slip: what it allowed and how it stands after the answer. */
  slip(c: SlipContext<S, M>): string;
  /** Whether the game annotates moves with ? and ?? (chess). */
  marks: boolean;
  /** The search effort, for the review's method line ("40000 nodes a position"). */
  method: string;
}
