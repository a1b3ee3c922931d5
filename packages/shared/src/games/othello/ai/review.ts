// Othello's part of the post-game review (ai/review): ChampionChimp's search (exact in the
// last 12 squares) of every position, squares as moves, slips in the game's own terms
// (a corner given away, mobility lost, the final disc count).
import type { Seat } from '../../../schemas/game-basics.js';
import type { ReviewKit, SlipContext } from '../../../ai/review/types.js';
import { capitalise, greedyLine, logistic, verb } from '../../../ai/review/line.js';
import { CORNERS, parseSquare, squareName } from '../board.js';
import { othello, othelloStart, type OthelloState } from '../engine.js';
import type { OthelloMove } from '../move.js';
import { CHAMPION_PARAMS } from './champion.js';
import { isDecided, OthelloSearcher, WIN_UNIT } from './search.js';

const PARAMS = CHAMPION_PARAMS;
/** A cheaper search for the rest of a line after its first move. */
const LINE_NODES = 2_000;

function search(state: OthelloState, nodes: number) {
  if (othello.outcome(state)) return null;
  const s = new OthelloSearcher(state.cells, state.turn, PARAMS, nodes, PARAMS.exactEmpties);
  const best = s.searchRoot(PARAMS.maxDepth, 0).scores[0];
  if (!best) return null;
  return { move: { square: best.square < 0 ? 'pass' : squareName(best.square) }, score: best.score };
}

const name = (m: OthelloMove) => (m.square === 'pass' ? 'a pass' : m.square);
const apply = (s: OthelloState, m: OthelloMove) => othello.apply(s, m);

function slip(c: SlipContext<OthelloState, OthelloMove>): string {
  const { sides, mover } = c;
  const opp = (1 - mover) as Seat;
  const head = c.played.square === 'pass' ? `Passing` : `Playing ${c.played.square}`;
  if (!c.reply) return `${head} ended the game.`;
  const line = c.reply.line.map(name).join(', then ');
  const sq = c.reply.best.square === 'pass' ? null : parseSquare(c.reply.best.square);
  if (sq !== null && sq !== undefined && (CORNERS as readonly number[]).includes(sq)) {
    return `${head} gave ${sides.object(opp)} the ${c.reply.best.square} corner: after ${line} ${verdict(c, opp)}.`;
  }
  if (othelloReview.expectation(c.reply.score) < 0.58) return `${head} let the advantage slip: after ${line} ${verdict(c, opp)}.`;
  return `${head} let ${sides.object(opp)} take over the board: after ${line} ${verdict(c, opp)}.`;
}

function verdict(c: SlipContext<OthelloState, OthelloMove>, opp: Seat): string {
  const s = c.reply!.score;
  if (isDecided(s) && s > 0) return `${verb(c.sides.subject(opp), 'win', 'wins')} by ${Math.round(s / WIN_UNIT)} discs with best play`;
  return othelloReview.expectation(s) >= 0.58 ? `${verb(c.sides.subject(opp), 'have', 'has')} more moves and the safer discs` : 'the game is level';
}

export const othelloReview: ReviewKit<OthelloState, OthelloMove> = {
  start: () => othelloStart(),
  analyse(state) {
    const best = search(state, PARAMS.nodeBudget);
    if (!best) return null;
    const line = greedyLine(state, best.move, 4, apply, (s) => search(s, LINE_NODES)?.move ?? null);
    return { score: best.score, best: best.move, line };
  },
  /** A solved ending is certain (by disc count); otherwise about 10 points are a move of mobility. */
  expectation: (score) => (isDecided(score) ? (score > 0 ? 1 : score < 0 ? 0 : 0.5) : logistic(score, 60)),
  lineMoves: (_state, line) => line.map(name),
  lineJoin: ', then ',
  slip: (c) => capitalise(slip(c)),
  marks: false,
  method: `alpha-beta, ${PARAMS.nodeBudget} nodes a position, exact in the last ${PARAMS.exactEmpties} squares`,
};
