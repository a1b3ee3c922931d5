// Why a monkey's Othello move makes sense, from the real position: the corner it takes,
// the pass it forces, the discs it flips. Texts use the side tokens of ai/reason.ts
// ({you}, {your}: the mover's opponent) so the same words serve as a player's hint.
import type { Explanation, Outlook } from '../../../ai/explanation.js';
import { CORNERS, flipDirection, flipsFor, hasLegalSquare, isLegalSquare, legalSquares, squareName, type Cells } from '../board.js';
import { WIN_UNIT, isDecided } from './search.js';

const discs = (n: number) => `${n} disc${n === 1 ? '' : 's'}`;
const isEdge = (sq: number) => sq < 8 || sq >= 56 || sq % 8 === 0 || sq % 8 === 7;

/** How the mover's search judges the position, in the words of ai/reason.ts. */
export function outlookOf(score: number | null): Outlook | undefined {
  if (score === null) return undefined;
  if (isDecided(score)) return score > 0 ? 'winning' : score < 0 ? 'lost' : 'level';
  return score >= 120 ? 'better' : score <= -120 ? 'worse' : 'level';
}

/**
 * The idea behind `square` (-1 = a pass) for `me` in `cells` (the position before the
 * move); `score` is the mover's search score of it, when it searched.
 */
export function othelloExplain(cells: Cells, me: number, square: number, score: number | null): Explanation {
  const outlook = outlookOf(score);
  const you = 1 - me;
  if (square < 0) {
    return { code: 'pass', plain: 'has no move that outflanks a disc, so it passes', tip: 'when you cannot outflank any disc you must pass, and the other side plays again.', outlook };
  }
  const name = squareName(square);
  const flips = flipsFor(cells, square, me);
  const after = Array.from(cells, (v) => v);
  after[square] = me;
  for (const f of flips) after[f] = me;
  const yourMoves = legalSquares(after, you);
  const ends = yourMoves.length === 0 && !hasLegalSquare(after, me);

  if (ends) {
    let d = 0;
    for (let i = 0; i < 64; i++) if (after[i] === me) d++;
    else if (after[i] === you) d--;
    if (d > 0) return { code: 'win', plain: `plays ${name} and ends the game with more discs`, tip: 'count the discs before the last moves: the end is exact arithmetic.', outlook };
  }
  if (yourMoves.length === 0) {
    return { code: 'squeeze', plain: `plays ${name} and leaves {you} no move: {you} must pass`, tip: 'taking away your opponent’s moves is the strongest weapon in Othello.', outlook };
  }
  if (score !== null && isDecided(score) && score > 0) {
    const by = Math.round(score / WIN_UNIT);
    return { code: 'forced-win', plain: `plays ${name}: it has counted the ending and wins by ${discs(by)}`, tip: 'with few squares left, read the ending to the last disc.', outlook };
  }
  if (CORNERS.includes(square)) {
    const squeeze = yourMoves.length === 0 ? ' and leaves {you} no move: {you} must pass' : '';
    return { code: 'corner', plain: `takes the corner at ${name}${squeeze}`, tip: 'a corner can never be flipped: every disc anchored to it is safe for good.', outlook };
  }
  const cornerBefore = CORNERS.find((k) => isLegalSquare(cells, k, you) && !isLegalSquare(after, k, you));
  if (cornerBefore !== undefined) {
    return { code: 'block', plain: `plays ${name} and takes away {your} corner at ${squareName(cornerBefore)}`, tip: 'before each move, check which corners your opponent could take next.', outlook };
  }
  if (flips.length >= 5) {
    const dir = flipDirection(square, flips);
    return { code: 'flip', plain: `flips ${discs(flips.length)}${dir ? ` ${dir}` : ''} with ${name}`, tip: 'many flips look good, but each new frontier disc gives your opponent moves.', outlook };
  }
  if (yourMoves.length <= 3) {
    return { code: 'squeeze', plain: `plays ${name} and cuts {you} down to ${yourMoves.length} move${yourMoves.length === 1 ? '' : 's'}`, tip: 'fewer moves for your opponent means worse moves for them.', outlook };
  }
  if (isEdge(square)) {
    return { code: 'edge', plain: `takes the edge at ${name}, flipping ${discs(flips.length)}`, tip: 'edges are hard to flip back, but an edge next to an empty corner can hand it over.', outlook };
  }
  if (flips.length <= 2) {
    return { code: 'quiet', plain: `plays a quiet ${name}, flipping only ${discs(flips.length)}`, tip: 'quiet moves flip little and open few new squares for your opponent.', outlook };
  }
  return { code: 'build', plain: `plays ${name}, flipping ${discs(flips.length)}`, tip: 'keep your discs together and in the middle; let your opponent run out of safe moves.', outlook };
}
