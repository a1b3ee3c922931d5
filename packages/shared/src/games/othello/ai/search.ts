// Alpha-beta (negamax) over one mutable Int8Array with make/unmake, iterative deepening
// under a node budget (reproducible on any machine, like the other games), and an exact
// endgame once few squares are left. The evaluation's weights are the personality.
import { CORNERS, EMPTY, OTH_CELLS, flipsFor, hasLegalSquare, isLegalSquare } from '../board.js';

/** Evaluation weights (per unit of each feature, in "points"; a disc at the end is worth WIN_UNIT). */
export interface OthelloWeights {
  /** Per legal move more than the opponent (and per move taken away from them). */
  mobility: number;
  /** Per corner held more than the opponent; also the penalty for an X-square next to an empty corner. */
  corners: number;
  /** Per frontier disc (next to an empty square) fewer than the opponent: quiet, stable play. */
  frontier: number;
  /** Per disc more than the opponent now (greedy players like it; strong ones keep it near 0). */
  discs: number;
  /** Bonus for having the last move in the remaining empties (an even number left with me to move). */
  parity: number;
}

/** Final positions score WIN_UNIT per disc of difference, far above any evaluation. */
export const WIN_UNIT = 1000;
export const isDecided = (score: number): boolean => Math.abs(score) >= WIN_UNIT / 2;

// The X-squares (diagonally next to a corner), each with its corner.
const X_SQUARES: readonly (readonly [number, number])[] = [
  [9, 0],
  [14, 7],
  [49, 56],
  [54, 63],
];
// Static move order: corners first, then edges and the middle, X- and C-squares last.
const ORDER_WEIGHT = Int8Array.from({ length: OTH_CELLS }, (_, sq) => {
  const r = Math.floor(sq / 8);
  const c = sq % 8;
  if (CORNERS.includes(sq)) return 100;
  if (X_SQUARES.some(([x]) => x === sq)) return -50;
  const edgeR = r === 0 || r === 7;
  const edgeC = c === 0 || c === 7;
  if ((edgeR && (c === 1 || c === 6)) || (edgeC && (r === 1 || r === 6))) return -20;
  return edgeR || edgeC ? 20 : 0;
});

export interface RootScore {
  /** Square index, or -1 for a pass. */
  square: number;
  score: number;
  /** False when the score is only an upper bound (more than the margin below the best). */
  exact: boolean;
}

export class OthelloSearcher {
  readonly cells: Int8Array;
  nodes = 0;
  private aborted = false;

  constructor(
    cells: readonly (number | null)[],
    private readonly side: number,
    private readonly w: OthelloWeights,
    private budget: number,
    /** Solve exactly (final disc count only) when this many squares or fewer are empty. */
    private readonly exactEmpties: number,
  ) {
    this.cells = Int8Array.from(cells, (v) => (v === null ? EMPTY : v));
  }

  /** Legal squares for `who`, best-first by the static order. */
  moves(who: number): number[] {
    const out: number[] = [];
    for (let sq = 0; sq < OTH_CELLS; sq++) if (isLegalSquare(this.cells, sq, who)) out.push(sq);
    return out.sort((a, b) => ORDER_WEIGHT[b]! - ORDER_WEIGHT[a]!);
  }

  private make(sq: number, who: number): number[] {
    const flips = flipsFor(this.cells, sq, who);
    this.cells[sq] = who;
    for (const f of flips) this.cells[f] = who;
    return flips;
  }

  private unmake(sq: number, flips: readonly number[], who: number): void {
    this.cells[sq] = EMPTY;
    for (const f of flips) this.cells[f] = 1 - who;
  }

  private empties(): number {
    let n = 0;
    for (let i = 0; i < OTH_CELLS; i++) if (this.cells[i] === EMPTY) n++;
    return n;
  }

  /** Disc difference for `who`, scaled: the value of a finished game. */
  private final(who: number): number {
    let d = 0;
    for (let i = 0; i < OTH_CELLS; i++) if (this.cells[i] !== EMPTY) d += this.cells[i] === who ? 1 : -1;
    return d * WIN_UNIT;
  }

  /** The evaluation of the position for `who` (to move). */
  evaluate(who: number): number {
    const c = this.cells;
    const w = this.w;
    let score = 0;
    if (w.mobility) score += w.mobility * (this.moves(who).length - this.moves(1 - who).length);
    let corners = 0;
    for (const k of CORNERS) if (c[k] !== EMPTY) corners += c[k] === who ? 1 : -1;
    for (const [x, k] of X_SQUARES) if (c[k] === EMPTY && c[x] !== EMPTY) corners -= c[x] === who ? 0.5 : -0.5;
    score += w.corners * corners;
    let frontier = 0;
    let discs = 0;
    let empties = 0;
    for (let sq = 0; sq < OTH_CELLS; sq++) {
      const v = c[sq];
      if (v === EMPTY) {
        empties++;
        continue;
      }
      discs += v === who ? 1 : -1;
      if (w.frontier && touchesEmpty(c, sq)) frontier += v === who ? -1 : 1;
    }
    score += w.frontier * frontier + w.discs * discs;
    if (w.parity) score += empties % 2 === 1 ? w.parity : -w.parity;
    return score;
  }

  /** Negamax value for `who` to move. */
  private negamax(who: number, depth: number, alpha: number, beta: number, passed: boolean): number {
    this.nodes++;
    if (this.nodes > this.budget) this.aborted = true;
    if (this.aborted) return 0;
    const moves = this.moves(who);
    if (moves.length === 0) {
      if (passed || !hasLegalSquare(this.cells, 1 - who)) return this.final(who);
      // A pass fills no square, so it does not use up depth (the exact endgame stays exact).
      return -this.negamax(1 - who, depth, -beta, -alpha, true);
    }
    if (depth <= 0) return this.evaluate(who);
    let best = -Infinity;
    for (const sq of moves) {
      const flips = this.make(sq, who);
      const v = -this.negamax(1 - who, depth - 1, -beta, -alpha, false);
      this.unmake(sq, flips, who);
      if (this.aborted) return 0;
      if (v > best) best = v;
      if (v > alpha) alpha = v;
      if (alpha >= beta) break;
    }
    return best;
  }

  /**
   * Scores of every root move for the side to move: iterative deepening until the budget
   * runs out (the last finished depth counts), or one exact search when few squares are
   * left. Moves more than `margin` below the best get upper bounds only (exact: false).
   */
  searchRoot(maxDepth: number, margin: number): { scores: RootScore[]; depth: number; nodes: number } {
    const who = this.side;
    const roots = this.moves(who);
    if (roots.length === 0) return { scores: [{ square: -1, score: 0, exact: true }], depth: 0, nodes: 0 };
    const empties = this.empties();
    const exact = empties <= this.exactEmpties;
    let done: RootScore[] = roots.map((square) => ({ square, score: 0, exact: true }));
    let doneDepth = 0;
    if (exact) {
      // The exact solve may use half the budget; if the ending is too big for that, the
      // search by depth gets the other half (a move never costs more than the budget).
      const full = this.budget;
      this.budget = full / 2;
      const solved = this.iterate(roots, empties, margin);
      if (solved) return { scores: solved, depth: empties, nodes: this.nodes };
      this.aborted = false;
      this.budget = full;
    }
    for (let depth = 1; depth <= Math.min(maxDepth, empties); depth++) {
      const scores = this.iterate(roots, depth, margin);
      if (!scores) break;
      done = scores;
      // Best first, so the next depth searches it first (and ties keep the static order).
      roots.splice(0, roots.length, ...done.map((s) => s.square));
      doneDepth = depth;
    }
    return { scores: done, depth: doneDepth, nodes: this.nodes };
  }

  /** One root iteration at `depth`, best first; null when the budget ran out. */
  private iterate(roots: readonly number[], depth: number, margin: number): RootScore[] | null {
    const who = this.side;
    const scores: RootScore[] = [];
    let best = -Infinity;
    for (const square of roots) {
      const alpha = best === -Infinity ? -Infinity : best - margin - 1;
      const flips = this.make(square, who);
      const v = -this.negamax(1 - who, depth - 1, -Infinity, -alpha, false);
      this.unmake(square, flips, who);
      if (this.aborted) return null;
      scores.push({ square, score: v, exact: v > alpha });
      if (v > best) best = v;
    }
    return scores.sort((a, b) => b.score - a.score);
  }
}

function touchesEmpty(c: Int8Array, sq: number): boolean {
  const r = Math.floor(sq / 8);
  const col = sq % 8;
  for (let dr = -1; dr <= 1; dr++) {
    for (let dc = -1; dc <= 1; dc++) {
      const rr = r + dr;
      const cc = col + dc;
      if ((dr || dc) && rr >= 0 && rr < 8 && cc >= 0 && cc < 8 && c[rr * 8 + cc] === EMPTY) return true;
    }
  }
  return false;
}
