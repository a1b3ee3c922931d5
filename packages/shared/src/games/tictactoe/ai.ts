import type { Seat } from '../../schemas/game-basics.js';
import type { TicTacToeMove } from './move.js';
import type { GameAi } from '../../ai/types.js';
import { TTT_LINES, tttCellName, tttWinner, type TicTacToeState } from './engine.js';
import type { SearchParams } from '../../ai/types.js';
import type { Explanation } from '../../ai/explanation.js';
import { pickWeighted, type Rng } from '../../ai/rng.js';
import { tttReviewKit } from './review.js';

/**
 * Tic-tac-toe search: negamax minimax over the whole game tree (5,478 positions, memoised
 * once per process), so depth 9 is perfect play. Scores are absolute tempo values: a win
 * completed on move m scores 10 - m for the winner (quicker wins score higher), a draw 0.
 */
type Cells = readonly (Seat | null)[];

const memo = new Map<number, number>();

function key(cells: Cells): number {
  let k = 0;
  for (let i = 0; i < 9; i++) k = k * 3 + (cells[i] === null ? 0 : (cells[i] as number) + 1);
  return k;
}

interface Counter {
  nodes: number;
}

/** Value for the side to move in `cells` (who is `side`), searching `depth` plies. */
function negamax(cells: (Seat | null)[], side: Seat, moves: number, depth: number, counter: Counter): number {
  counter.nodes++;
  const w = tttWinner(cells);
  if (w) return -(10 - moves); // the previous mover just won
  if (moves === 9) return 0;
  if (depth === 0) return 0; // unknown beyond the horizon: treat as even
  const perfect = depth >= 9 - moves;
  const k = perfect ? key(cells) : -1;
  if (perfect) {
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
  }
  let best = -Infinity;
  for (let i = 0; i < 9; i++) {
    if (cells[i] !== null) continue;
    cells[i] = side;
    const v = -negamax(cells, (1 - side) as Seat, moves + 1, depth - 1, counter);
    cells[i] = null;
    if (v > best) best = v;
  }
  if (perfect) memo.set(k, best);
  return best;
}

/** Exact (perfect-play) score of each legal move for the side to move. */
export function tttMoveScores(state: TicTacToeState, depth = 9): { cell: number; score: number }[] {
  const counter = { nodes: 0 };
  return scoreMoves(state, depth, counter);
}

function scoreMoves(state: TicTacToeState, depth: number, counter: Counter): { cell: number; score: number }[] {
  const cells = state.cells.slice();
  const out: { cell: number; score: number }[] = [];
  for (let i = 0; i < 9; i++) {
    if (cells[i] !== null) continue;
    cells[i] = state.turn;
    out.push({ cell: i, score: -negamax(cells, (1 - state.turn) as Seat, state.moves + 1, depth - 1, counter) });
    cells[i] = null;
  }
  return out;
}

const POSITIONAL = [0.2, 0.1, 0.2, 0.1, 0.3, 0.1, 0.2, 0.1, 0.2];

/**
 * Share of the opponent's replies to `cell` that are mistakes: after them the mover's
 * perfect value is better than `score` (the value against best defence).
 */
function trapFraction(state: TicTacToeState, cell: number, score: number, counter: Counter): number {
  const cells = state.cells.slice();
  const me = state.turn;
  const you = (1 - me) as Seat;
  cells[cell] = me;
  if (tttWinner(cells) || state.moves + 1 === 9) return 0;
  let replies = 0;
  let mistakes = 0;
  for (let i = 0; i < 9; i++) {
    if (cells[i] !== null) continue;
    cells[i] = you;
    replies++;
    // Value for me after the reply: I am to move (or the game just ended).
    if (negamax(cells, me, state.moves + 2, 9, counter) > score) mistakes++;
    cells[i] = null;
  }
  return replies ? mistakes / replies : 0;
}

export interface TttChoice {
  cell: number;
  score: number;
  blunder: boolean;
  nodes: number;
  depth: number;
}

/** Pick a move: search to `maxDepth`, then softmax over scores (best-move ties broken by the seed). */
export function tttChoose(state: TicTacToeState, params: SearchParams, rng: Rng): TttChoice {
  const counter = { nodes: 0 };
  const depth = Math.min(params.maxDepth, 9 - state.moves);
  const scored = scoreMoves(state, depth, counter);
  if (scored.length === 0) throw new Error('no legal moves: the game is over');
  if (params.blunderRate > 0 && rng() < params.blunderRate) {
    const pick = scored[Math.floor(rng() * scored.length)]!;
    return { cell: pick.cell, score: pick.score, blunder: true, nodes: counter.nodes, depth };
  }
  // Among equal scores prefer moves that give the opponent the most ways to go wrong
  // (with perfect search only), then the centre, then corners. The bonus stays < 1, so
  // it never outweighs a real difference in outcome or tempo.
  const perfect = depth >= 9 - state.moves;
  const adjusted = scored.map(
    (s) => s.score + (POSITIONAL[s.cell] as number) + (perfect ? 0.5 * trapFraction(state, s.cell, s.score, counter) : 0),
  );
  const top = Math.max(...adjusted);
  const weights = adjusted.map((a) =>
    params.temperature <= 0 ? (a === top ? 1 : 0) : Math.exp((a - top) / params.temperature),
  );
  const pick = scored[pickWeighted(weights, rng)]!;
  return { cell: pick.cell, score: pick.score, blunder: false, nodes: counter.nodes, depth };
}

const LINE_NAMES = [
  'the top row', 'the middle row', 'the bottom row',
  'the left column', 'the middle column', 'the right column',
  'the diagonal', 'the other diagonal',
];

function lineName(line: readonly number[]): string {
  const i = TTT_LINES.findIndex((l) => l.every((c) => line.includes(c)));
  return LINE_NAMES[i] ?? 'a line';
}

/** Lines where `who` has two and the third cell is empty (immediate threats). */
function threats(cells: Cells, who: Seat): number[][] {
  return TTT_LINES.filter((l) => {
    const mine = l.filter((c) => cells[c] === who).length;
    const empty = l.filter((c) => cells[c] === null).length;
    return mine === 2 && empty === 1;
  }).map((l) => [...l]);
}

/** Why `cell` is a good idea for the side to move, judged on the actual position. */
export function tttExplain(state: TicTacToeState, cell: number, score: number | null): Explanation {
  const me = state.turn;
  const you = (1 - me) as Seat;
  const after = state.cells.slice();
  after[cell] = me;
  const name = tttCellName(cell);
  const win = tttWinner(after);
  if (win) {
    return { code: 'win', plain: `completes ${lineName(win.line)} and wins`,
      tip: 'always look for your own winning square first.' };
  }
  const blocked = state.cells.slice();
  blocked[cell] = you;
  const yourWin = tttWinner(blocked);
  if (yourWin) {
    return { code: 'block', plain: `blocks {your} two on ${lineName(yourWin.line)}`,
      tip: 'if your opponent has two in a line, block the third square before anything else.' };
  }
  const mine = threats(after, me);
  if (mine.length >= 2) {
    return { code: 'fork', plain: `sets up a fork: two ways to win (${mine.map(lineName).join(' and ')})`,
      tip: 'a fork makes two threats at once, and your opponent can only block one.' };
  }
  if (score !== null && score > 0) {
    return { code: 'forced-win', plain: `takes ${name} and sees a forced win`,
      tip: 'look for moves that leave your opponent only bad replies.' };
  }
  if (mine.length === 1) {
    return { code: 'threat', plain: `threatens to win on ${lineName(mine[0]!)}`,
      tip: 'a threat forces your opponent to answer, so you choose where the game goes.' };
  }
  if (cell === 4) {
    return { code: 'centre', plain: 'takes the centre',
      tip: 'the centre is part of four lines, more than any other square.' };
  }
  if ([0, 2, 6, 8].includes(cell)) {
    const opposite = 8 - cell;
    if (state.cells[opposite] === you) {
      return { code: 'corner', plain: `takes the corner ${name}, opposite {yours}`,
        tip: 'answering a corner with the opposite corner keeps the position balanced.' };
    }
    return { code: 'corner', plain: `takes the corner ${name}`,
      tip: 'corners are part of three lines and set up forks later.' };
  }
  return { code: 'edge', plain: `takes the edge ${name}`,
    tip: 'an edge move can force a reply and stop a fork before it starts.' };
}

/** Tic-tac-toe's AI for the troop (see GameAi). */
export const tictactoeAi: GameAi<TicTacToeState, TicTacToeMove, SearchParams> = {
  choose(state, params, rng) {
    const c = tttChoose(state, params, rng);
    const explanation = tttExplain(state, c.cell, c.depth >= 9 - state.moves ? c.score : null);
    // A random (blunder) move with no real idea behind it is honestly a hunch.
    const e = c.blunder && ['centre', 'corner', 'edge'].includes(explanation.code)
      ? { ...explanation, code: 'hunch' as const, plain: `${explanation.plain} on a hunch` }
      : explanation;
    return { move: { cell: c.cell }, explanation: e, nodes: c.nodes, depth: c.depth };
  },
  moveName: (_state, move) => tttCellName(move.cell),
  /** Perfect play (the troop's solver): accept unless the agent can force a win from here. */
  acceptsDraw(state, agentSeat) {
    const scores = tttMoveScores(state);
    if (scores.length === 0) return true;
    const best = Math.max(...scores.map((m) => m.score));
    // Scores are the mover's: positive = the mover wins with perfect play.
    return (state.turn === agentSeat ? best : -best) <= 0;
  },
  review: tttReviewKit((state) => tttMoveScores(state)),
};
