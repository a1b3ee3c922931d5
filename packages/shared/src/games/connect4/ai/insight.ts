// What the search saw, added to the position-based reason (explain.ts): a forced win and
// its length ("sees a win in 3"), the threat a block stops named by its column, a move
// that was the only one not losing ("has only one move that does not lose: …"), a threat
// of the opponent's still on the board, and the outlook from the search score, which the
// personalities voice in their own words (ai/voices.ts).
import type { Seat } from '../../../schemas/game-basics.js';
import type { Explanation, Outlook } from '../../../ai/explanation.js';
import { Board, COLS, ROWS } from './board.js';
import { c4Explain } from './explain.js';
import { WIN, isLossScore, isWinScore } from './search.js';

/** Search score (own open lines minus the opponent's) from which a side counts as better. */
export const OUTLOOK_MARGIN = 12;

export function outlookOf(score: number | null): Outlook | undefined {
  if (score === null) return undefined;
  if (isWinScore(score)) return 'winning';
  if (isLossScore(score)) return 'lost';
  if (score >= OUTLOOK_MARGIN) return 'better';
  if (score <= -OUTLOOK_MARGIN) return 'worse';
  return 'level';
}

/** Moves (of the mover) until a forced win found with `score`, counting the one now played. */
export function winIn(b: Board, score: number): number {
  return Math.ceil((WIN - score - b.moves) / 2);
}

/** The reason for dropping into `column`, from the position (`b`, before the move) and the root scores. */
export function c4Reason(b: Board, column: number, scores: readonly { column: number; score: number }[]): Explanation {
  const score = scores.find((s) => s.column === column)?.score ?? null;
  const base = c4Explain(b, column, score);
  const e: Explanation = { ...base, outlook: outlookOf(score) };
  const you = (1 - b.side) as Seat;

  if (base.code === 'block' && !/in column \d/.test(base.plain)) {
    e.plain = `${base.plain} at column ${column + 1}`;
  }
  if (score !== null && isWinScore(score) && base.code !== 'win') {
    const n = winIn(b, score);
    const win = `a win in ${n}`;
    if (base.code === 'forced-win') e.plain = `sees ${win}, starting in column ${column + 1}`;
    else if (base.code === 'double-threat') e.plain = `sets up a double threat: two ways to win, ${win}`;
    else e.plain = `${e.plain}, and sees ${win}`;
    if (base.code !== 'block' && base.code !== 'double-threat') e.code = 'forced-win';
    return e;
  }
  const alive = scores.filter((s) => !isLossScore(s.score));
  if (scores.length > 1 && alive.length === 1 && alive[0]!.column === column && base.code !== 'block' && base.code !== 'win') {
    e.plain = `has only one move that does not lose: ${e.plain}`;
    return e;
  }
  // A threat of the opponent's that is not playable yet: say it was seen.
  if (base.code === 'build' || base.code === 'centre') {
    const hidden = b.threatCells(you).map((cell) => Math.floor(cell / ROWS)).filter((c, i, all) => all.indexOf(c) === i && c < COLS);
    if (hidden.length > 0) e.plain = `${e.plain}, keeping an eye on {your} threat in column ${hidden[0]! + 1}`;
  }
  return e;
}
