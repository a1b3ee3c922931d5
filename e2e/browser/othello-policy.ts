// How the person in the Othello browser test (othello.test.ts) picks a move. The product has
// no way to seed a position (and the test adds none), so a pass has to come out of real
// play; two small policies make one very likely (measured over seeded games with the
// shared engine and the troop's own search: 3,000 simulated games while writing the test):
// - 'greedy' (most discs flipped now) against TricksterMonkey, who starves its opponent:
//   the PERSON has to pass in ~95 % of games (28-29 of 30 per seat);
// - 'starve' (leave the monkey no move; else corners, few replies for it, no X-square)
//   against WildcardLemur: the MONKEY has to pass in ~95 % of games (94-97 of 100 per seat).
// Both test games record whether a pass happened and say which; neither policy is perfect.
import { CORNERS, legalSquares, othello, squareName, type OthelloState } from '@monkeytown/shared/games/othello';

export type Style = 'greedy' | 'starve';

/** The diagonal neighbours of the corners: they give a corner away while it is empty. */
const X_SQUARES = new Set([9, 14, 49, 54]);

/** Does `s` leave its side to move no square although the game goes on (a forced pass)? */
const forcesPass = (s: OthelloState): boolean => !s.result && legalSquares(s.cells, s.turn).length === 0;

function starveScore(state: OthelloState, sq: number): number {
  const next = othello.apply(state, { square: squareName(sq) });
  const replies = legalSquares(next.cells, next.turn);
  let score = -10 * replies.length;
  if (forcesPass(next)) score += 1000;
  if (CORNERS.includes(sq)) score += 100;
  if (X_SQUARES.has(sq)) score -= 50;
  // One reply further: how many of its answers let us force a pass next time.
  if (!next.result && replies.length > 0) {
    let hits = 0;
    for (const r of replies) {
      const after = othello.apply(next, { square: squareName(r) });
      if (legalSquares(after.cells, after.turn).some((h) => forcesPass(othello.apply(after, { square: squareName(h) })))) hits++;
    }
    score += (300 * hits) / replies.length;
  }
  return score;
}

/** The square to play ("d3"), or "pass" when the side to move has none. */
export function chooseSquare(state: OthelloState, style: Style): string {
  const squares = legalSquares(state.cells, state.turn);
  if (squares.length === 0) return 'pass';
  const score = (sq: number) => (style === 'greedy' ? othello.apply(state, { square: squareName(sq) }).discs[state.turn] : starveScore(state, sq));
  let best = squares[0]!;
  let bestScore = -Infinity;
  for (const sq of squares) {
    const s = score(sq);
    if (s > bestScore) [best, bestScore] = [sq, s];
  }
  return squareName(best);
}
