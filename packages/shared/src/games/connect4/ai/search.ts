import type { Seat } from '../../../schemas/game-basics.js';
import { Board, CENTRE_ORDER, COLS, ROWS } from './board.js';

/**
 * Negamax alpha-beta for connect four with a transposition table, iterative deepening
 * and move ordering (table move, history heuristic, centre first).
 *
 * Scores are from the side to move. A win completed on move m (1..42) scores
 * WIN - m for the winner, so scores do not depend on the path and can be stored in the
 * table as they are; quicker wins score higher.
 *
 * The search is bounded by a NODE budget, not a clock: the result depends only on the
 * position and the parameters, so a game replays identically on any machine.
 */
export const WIN = 100_000;
export const isWinScore = (s: number): boolean => s > WIN - 100;
export const isLossScore = (s: number): boolean => s < -(WIN - 100);

// 2^18 entries: more than the largest node budget (150k), so few useful entries are lost.
const TT_BITS = 18;
const TT_SIZE = 1 << TT_BITS;
const TT_MASK = TT_SIZE - 1;
const EXACT = 1;
const LOWER = 2;
const UPPER = 3;

// One table per thread (~3.4 MB), allocated on the first search (the web app imports this
// module for hints) and reused; a generation stamp empties it in O(1), so every search
// starts from a clean table (determinism) without clearing megabytes.
let ttKey = new Int32Array(0);
let ttGen = new Uint16Array(0);
let ttVal = new Int32Array(0);
let ttDepth = new Int8Array(0);
let ttFlag = new Int8Array(0);
let ttMove = new Int8Array(0);
let generation = 0;

function nextGeneration(): number {
  if (ttKey.length === 0) {
    ttKey = new Int32Array(TT_SIZE);
    ttGen = new Uint16Array(TT_SIZE);
    ttVal = new Int32Array(TT_SIZE);
    ttDepth = new Int8Array(TT_SIZE);
    ttFlag = new Int8Array(TT_SIZE);
    ttMove = new Int8Array(TT_SIZE);
  }
  generation = (generation % 65535) + 1;
  if (generation === 1) ttGen.fill(0);
  return generation;
}

export interface StyleWeights {
  attack: number;
  defence: number;
}

export interface RootResult {
  /** Root moves (columns) with their scores from the last completed depth. */
  scores: { column: number; score: number; exact: boolean }[];
  depth: number;
  nodes: number;
}

export class Searcher {
  nodes = 0;
  /** Set when the node budget ran out: every frame unwinds (undoing its move) and the iteration is discarded. */
  private stopped = false;
  /** History heuristic: per side and landing cell, how often (weighted by depth) a move caused a cut-off. */
  private readonly history = new Int32Array(2 * COLS * ROWS);
  /** Ordered moves per depth (index = move count * 7) and their ordering keys. */
  private readonly moveBuf = new Int8Array((COLS * ROWS + 1) * COLS);
  private readonly keyBuf = new Int32Array((COLS * ROWS + 1) * COLS);
  private gen = nextGeneration();
  private readonly root: Seat;

  constructor(
    private readonly board: Board,
    private readonly style: StyleWeights,
    private readonly budget: number,
  ) {
    this.root = board.side;
  }

  /** Static evaluation for the side to move: own open lines vs the opponent's, weighted by style. */
  evaluate(): number {
    const b = this.board;
    const mine = b.lines[this.root] as number;
    const theirs = b.lines[1 - this.root] as number;
    const e = Math.round(this.style.attack * mine - this.style.defence * theirs);
    return b.side === this.root ? e : -e;
  }

  negamax(depth: number, alpha: number, beta: number, abortable: boolean): number {
    const b = this.board;
    if (++this.nodes > this.budget && abortable) {
      this.stopped = true;
      return 0;
    }
    if (b.moves >= COLS * ROWS) return 0;
    const me = b.side;
    const you = (1 - me) as Seat;
    for (let c = 0; c < COLS; c++) if (b.winningDrop(c, me)) return WIN - (b.moves + 1);
    let forced = -1;
    let theirWins = 0;
    for (let c = 0; c < COLS; c++) {
      if (b.winningDrop(c, you)) {
        theirWins++;
        forced = c;
      }
    }
    if (theirWins >= 2) return -(WIN - (b.moves + 2));
    if (depth <= 0) return this.evaluate();
    // We cannot win before our next-but-one move: tighten beta (mate-distance pruning).
    const best = WIN - (b.moves + 3);
    if (beta > best) {
      beta = best;
      if (alpha >= beta) return beta;
    }
    const alpha0 = alpha;
    const idx = b.h1 & TT_MASK;
    let hashMove = -1;
    if (ttGen[idx] === this.gen && ttKey[idx] === b.h2) {
      hashMove = ttMove[idx] as number;
      if ((ttDepth[idx] as number) >= depth) {
        const v = ttVal[idx] as number;
        const f = ttFlag[idx];
        if (f === EXACT) return v;
        if (f === LOWER && v > alpha) alpha = v;
        else if (f === UPPER && v < beta) beta = v;
        if (alpha >= beta) return v;
      }
    }
    // Moves go into a per-depth slice of one buffer: no allocation per node.
    const base = b.moves * COLS;
    const n = forced >= 0 ? ((this.moveBuf[base] = forced), 1) : this.orderMoves(base, hashMove, you);
    let bestScore = -Infinity;
    let bestMove = this.moveBuf[base] as number;
    for (let i = 0; i < n; i++) {
      const c = this.moveBuf[base + i] as number;
      b.play(c);
      const v = -this.negamax(depth - 1, -beta, -alpha, abortable);
      b.undo(c);
      if (this.stopped) return 0;
      if (v > bestScore) {
        bestScore = v;
        bestMove = c;
      }
      if (v > alpha) alpha = v;
      if (alpha >= beta) {
        const cell = b.side * COLS * ROWS + c * ROWS + (b.heights[c] as number);
        this.history[cell] = (this.history[cell] as number) + depth * depth;
        break;
      }
    }
    ttGen[idx] = this.gen;
    ttKey[idx] = b.h2;
    ttVal[idx] = bestScore;
    ttDepth[idx] = depth;
    ttMove[idx] = bestMove;
    ttFlag[idx] = bestScore <= alpha0 ? UPPER : bestScore >= beta ? LOWER : EXACT;
    return bestScore;
  }

  /**
   * Table move first, then centre-first; moves that put a piece right under an
   * opponent threat (handing them the square above) go last.
   */
  private orderMoves(base: number, hashMove: number, you: Seat): number {
    const b = this.board;
    const buf = this.moveBuf;
    const key = this.keyBuf;
    const hist = this.history;
    const side = b.side * COLS * ROWS;
    let n = 0;
    if (hashMove >= 0 && b.canPlay(hashMove)) {
      buf[base] = hashMove;
      key[base] = 1 << 30;
      n = 1;
    }
    for (let k = 0; k < COLS; k++) {
      const c = CENTRE_ORDER[k] as number;
      if (c === hashMove || !b.canPlay(c)) continue;
      const h = b.heights[c] as number;
      // Dropping right under an opponent threat hands them the square above: last.
      const score = h + 1 < ROWS && b.winsAt(c, h + 1, you) ? -1 : (hist[side + c * ROWS + h] as number);
      // Insertion by score (history of cut-offs), centre-first on ties (stable).
      let i = base + n;
      while (i > base && (key[i - 1] as number) < score) {
        buf[i] = buf[i - 1] as number;
        key[i] = key[i - 1] as number;
        i--;
      }
      buf[i] = c;
      key[i] = score;
      n++;
    }
    return n;
  }

  /**
   * Iterative deepening at the root. Each root move is searched with the window
   * (best - margin, +inf), so every move within `margin` of the best has an exact score
   * (personalities choose among them); others are upper bounds. Depth 1 always
   * completes; a deeper iteration cut by the budget is discarded. With
   * `stopWhenForced`, search stops once all moves but one are proven losses (the move
   * is forced; its score then need not be the exact game value).
   */
  searchRoot(maxDepth: number, margin: number, stopWhenForced = true): RootResult {
    const b = this.board;
    let order = CENTRE_ORDER.filter((c) => b.canPlay(c)) as number[];
    if (order.length === 0) throw new Error('no legal moves');
    let result: RootResult = { scores: [], depth: 0, nodes: 0 };
    const limit = Math.min(maxDepth, COLS * ROWS - b.moves);
    for (let depth = 1; depth <= limit; depth++) {
      const scores: RootResult['scores'] = [];
      let best = -Infinity;
      for (const c of order) {
        const alpha = best === -Infinity ? -Infinity : best - margin;
        let v: number;
        if (b.winningDrop(c, b.side)) v = WIN - (b.moves + 1);
        else {
          b.play(c);
          v = -this.negamax(depth - 1, -Infinity, -alpha, depth > 1);
          b.undo(c);
        }
        if (this.stopped) break;
        scores.push({ column: c, score: v, exact: v > alpha });
        if (v > best) best = v;
      }
      if (this.stopped) break;
      result = { scores, depth, nodes: this.nodes };
      order = [...scores].sort((x, y) => y.score - x.score).map((s) => s.column);
      // A proven result cannot change with more depth; and when every move but one is a
      // proven loss (typically: block or lose), the choice is made — spend no more nodes.
      if (isWinScore(best) || scores.every((s) => isLossScore(s.score))) break;
      if (stopWhenForced && depth >= 2 && scores.filter((s) => !isLossScore(s.score)).length === 1) break;
    }
    result.nodes = this.nodes;
    return result;
  }
}
