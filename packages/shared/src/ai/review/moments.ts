// The numbers of a review, game-agnostic: how bad each move was, each side's accuracy,
// the moments worth words and the turning point. Thresholds are on the mover's winning
// chance (0..1), as lichess grades moves; the formulas are in docs/ai.md.
import type { Seat } from '../../schemas/game-basics.js';
import type { ReviewMomentKind } from '../../schemas/review.js';

export interface Graded {
  ply: number;
  mover: Seat;
  bestChance: number;
  playedChance: number;
  loss: number;
}

/** Lost winning chance from which a move is an inaccuracy, a mistake, a blunder. */
export const INACCURACY = 0.1;
export const MISTAKE = 0.2;
export const BLUNDER = 0.3;
/** A side with at least this chance that drops below WON_LEFT missed a win. */
export const WON = 0.75;
export const WON_LEFT = 0.6;
/** The winner's chance from which a game counts as decided (the turning point is before it). */
export const DECIDED = 0.7;
/** Moments per side with words. */
export const MOMENTS_PER_SIDE = 3;

export function kindOf(g: Graded): ReviewMomentKind | null {
  if (g.loss < INACCURACY) return null;
  if (g.bestChance >= WON && g.playedChance < WON_LEFT && g.loss >= MISTAKE) return 'missed-win';
  return g.loss >= BLUNDER ? 'blunder' : g.loss >= MISTAKE ? 'mistake' : 'inaccuracy';
}

/**
 * A move's accuracy (0..100) from the winning chance it lost, in percentage points:
 * 103.1668·e^(−0.04354·loss) − 3.1669 (lichess's fit), so the best move is 100, a
 * 10-point slip about 62, a 30-point blunder about 25.
 */
export function moveAccuracy(loss: number): number {
  const a = 103.1668 * Math.exp(-0.04354 * loss * 100) - 3.1669;
  return Math.round(Math.max(0, Math.min(100, a)) * 10) / 10;
}

/** A side's accuracy: the mean of its moves' accuracies (null: it made no move). */
export function sideAccuracy(plies: readonly Graded[], seat: Seat): number | null {
  const own = plies.filter((p) => p.mover === seat);
  if (own.length === 0) return null;
  return Math.round((own.reduce((s, p) => s + moveAccuracy(p.loss), 0) / own.length) * 10) / 10;
}

/**
 * The turning point of a decided game: the loser's costliest move up to the position
 * from which the winner's chance never fell below DECIDED again (the game was decided
 * there; a heuristic search's "slightly better" early on does not count). None in a draw,
 * or when the loser made no real mistake (a game lost on time from a good position).
 */
export function turningPoint(plies: readonly Graded[], curve: readonly number[], winner: Seat | null | undefined): number | null {
  if (winner === null || winner === undefined) return null;
  const chance = (k: number) => (winner === 0 ? curve[k]! : 1 - curve[k]!);
  let from = curve.length - 1;
  while (from > 0 && chance(from - 1) >= DECIDED) from--;
  // From the start on (from 0), any of the loser's moves could have been it.
  const limit = from === 0 ? Infinity : from;
  let best: Graded | null = null;
  for (const p of plies) {
    if (p.ply > limit || p.mover === winner) continue;
    if (!best || p.loss > best.loss) best = p;
  }
  return best && best.loss >= INACCURACY ? best.ply : null;
}

/** Each side's costliest moves (up to MOMENTS_PER_SIDE) plus the turning point, in game order. */
export function pickMoments<G extends Graded>(plies: readonly G[], turning: number | null): G[] {
  const chosen = new Set<G>();
  for (const seat of [0, 1] as const) {
    const own = plies.filter((p) => p.mover === seat && kindOf(p) !== null).sort((a, b) => b.loss - a.loss);
    // Inaccuracies only when a side made nothing worse.
    const serious = own.filter((p) => p.loss >= MISTAKE);
    for (const p of (serious.length ? serious : own).slice(0, MOMENTS_PER_SIDE)) chosen.add(p);
  }
  const t = plies.find((p) => p.ply === turning);
  if (t) chosen.add(t);
  return [...chosen].sort((a, b) => a.ply - b.ply);
}
