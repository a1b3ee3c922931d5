// Tic-tac-toe's part of the post-game review (ai/review): exact scores from the troop's
// perfect solver, squares by name, slips in the game's own terms ("left me a fork").
import type { Seat } from '../../schemas/game-basics.js';
import type { TicTacToeMove } from './move.js';
import type { ReviewKit, SlipContext } from '../../ai/review/types.js';
import { capitalise, greedyLine, verb } from '../../ai/review/line.js';
import { TTT_LINES, tictactoe, tttCellName, type TicTacToeState } from './engine.js';

type MoveScores = (state: TicTacToeState) => { cell: number; score: number }[];

/** Squares where `who` would complete a line at once. */
function winningSquares(cells: readonly (Seat | null)[], who: Seat): number {
  const squares = new Set<number>();
  for (const line of TTT_LINES) {
    const own = line.filter((i) => cells[i] === who).length;
    const empty = line.filter((i) => cells[i] === null);
    if (own === 2 && empty.length === 1) squares.add(empty[0]!);
  }
  return squares.size;
}

const name = (m: TicTacToeMove) => tttCellName(m.cell);

/** The kit over the perfect solver (passed in: ai.ts, which imports this file, owns it). */
export function tttReviewKit(moveScores: MoveScores): ReviewKit<TicTacToeState, TicTacToeMove> {
  const best = (s: TicTacToeState) => {
    if (tictactoe.outcome(s)) return null;
    return moveScores(s).sort((a, b) => b.score - a.score)[0] ?? null;
  };
  const slip = (c: SlipContext<TicTacToeState, TicTacToeMove>): string => {
    const { sides, mover } = c;
    const opp = (1 - mover) as Seat;
    const head = `Taking ${name(c.played)}`;
    if (!c.reply) return `${head} ended the game.`;
    const line = c.reply.line.map(name).join(', then ');
    const wins = verb(sides.subject(opp), 'complete', 'completes');
    if (winningSquares(c.after.cells, opp) > 0) return `${head} left ${sides.object(opp)} the winning square ${name(c.reply.best)}.`;
    if (c.reply.score > 0) {
      const next = tictactoe.apply(c.after, c.reply.best);
      const harm = winningSquares(next.cells, opp) >= 2 ? `let ${sides.object(opp)} set up a fork` : `let ${sides.object(opp)} force a win`;
      return `${head} ${harm}: after ${line} ${wins} three in a row.`;
    }
    return `${head} let the win slip: after ${line} it is a draw with best play.`;
  };
  return {
    start: () => tictactoe.initialState(),
    analyse(state) {
      const b = best(state);
      if (!b) return null;
      const first = { cell: b.cell };
      const line = greedyLine(state, first, 3, (s, m) => tictactoe.apply(s, m), (s) => {
        const r = best(s);
        return r ? { cell: r.cell } : null;
      });
      return { score: b.score, best: first, line };
    },
    /** Exact: positive scores are forced wins, 0 a draw. */
    expectation: (score) => (score > 0 ? 1 : score < 0 ? 0 : 0.5),
    lineMoves: (_state, line) => line.map(name),
    lineJoin: ', then ',
    slip: (c) => capitalise(slip(c)),
    marks: false,
    method: 'exact (perfect play)',
  };
}
