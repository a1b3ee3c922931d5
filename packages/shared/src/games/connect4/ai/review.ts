// Connect four's part of the post-game review (ai/review): ChampionChimp's search of every
// position, lines as columns, and slips in the game's own terms ("putting your disc in
// column 3 let me build two threats at once").
import type { Seat } from '../../../schemas/game-basics.js';
import type { Connect4Move } from '../move.js';
import type { ReviewKit, SlipContext } from '../../../ai/review/types.js';
import { capitalise, greedyLine, logistic, verb } from '../../../ai/review/line.js';
import { connect4, type Connect4State } from '../engine.js';
import { Board, COLS } from './board.js';
import { Searcher, isLossScore, isWinScore } from './search.js';

export const REVIEW_NODES = 150_000;
/** A cheaper search for the rest of a line after its first move. */
const LINE_NODES = 20_000;
const STYLE = { attack: 1, defence: 1 };

function search(state: Connect4State, nodes: number) {
  if (connect4.outcome(state)) return null;
  const root = new Searcher(Board.fromState(state), STYLE, nodes).searchRoot(42, 0);
  const best = [...root.scores].sort((a, b) => b.score - a.score)[0];
  return best ? { column: best.column, score: best.score } : null;
}

const column = (m: Connect4Move) => `column ${m.column + 1}`;
const apply = (s: Connect4State, m: Connect4Move) => connect4.apply(s, m);

/** Columns where `who` could drop a disc and win at once. */
function winningDrops(b: Board, who: Seat): number {
  let n = 0;
  for (let c = 0; c < COLS; c++) if (b.winningDrop(c, who)) n++;
  return n;
}

function slip(c: SlipContext<Connect4State, Connect4Move>): string {
  const { sides, mover } = c;
  const opp = (1 - mover) as Seat;
  const head = `Putting ${sides.possessive(mover)} disc in ${column(c.played)}`;
  if (!c.reply) return `${head} filled the board for a draw.`;
  const line = c.reply.line.map(column).join(', then ');
  const b = Board.fromState(c.after);
  if (b.winningDrop(c.reply.best.column, opp)) {
    return `${head} left ${sides.object(opp)} a winning drop in ${column(c.reply.best)}.`;
  }
  if (isWinScore(c.reply.score)) {
    b.play(c.reply.best.column);
    const harm = winningDrops(b, opp) >= 2 ? `let ${sides.object(opp)} build two threats at once` : `let ${sides.object(opp)} force a win`;
    return `${head} ${harm}: after ${line} ${verb(sides.subject(opp), 'connect', 'connects')} four.`;
  }
  const oppChance = connect4Review.expectation(c.reply.score);
  return oppChance >= 0.58
    ? `${head} gave ${sides.object(opp)} the upper hand: after ${line} ${verb(sides.subject(opp), 'have', 'has')} more open lines.`
    : `${head} let the advantage slip: after ${line} the game is level again.`;
}

export const connect4Review: ReviewKit<Connect4State, Connect4Move> = {
  start: () => connect4.initialState(),
  analyse(state) {
    const best = search(state, REVIEW_NODES);
    if (!best) return null;
    const first = { column: best.column };
    const line = greedyLine(state, first, 4, apply, (s) => {
      const r = search(s, LINE_NODES);
      return r ? { column: r.column } : null;
    });
    return { score: best.score, best: first, line };
  },
  /**
   * A proven win or loss is certain; otherwise open lines weigh, gently (scale 60: the
   * heuristic's score swings with the side to move, so it predicts less than it says).
   */
  expectation: (score) => (isWinScore(score) ? 1 : isLossScore(score) ? 0 : logistic(score, 60)),
  lineMoves: (_state, line) => line.map(column),
  lineJoin: ', then ',
  slip: (c) => capitalise(slip(c)),
  marks: false,
  method: `alpha-beta, ${REVIEW_NODES} nodes a position`,
};
