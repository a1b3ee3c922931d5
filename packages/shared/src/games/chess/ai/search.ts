import { Board, F_CAPTURE, moveFlags, moveFrom, movePromo, moveTo, PAWN } from '../board.js';
import { evaluate, VALUE, type EvalWeights } from './evaluate.js';

/**
 * Alpha-beta (negamax, principal variation search) with iterative deepening under a node
 * budget, a transposition table, quiescence on captures, check extension, null-move
 * pruning, killer and history move ordering, and repetition / fifty-move draws. Bounded by
 * nodes, not time, so a move is the same on any machine; an iteration cut short by the
 * budget is discarded.
 */
export const MATE = 30_000;
export const INF = 32_000;
export const isMateScore = (s: number) => Math.abs(s) > MATE - 500;
/** Plies to mate for a mate score (positive: the mover mates). */
export const matePlies = (s: number) => MATE - Math.abs(s);

const TT_BITS = 18;
const TT_SIZE = 1 << TT_BITS;
let tt: { hi: Int32Array; move: Int32Array; score: Int32Array; depth: Int8Array; flag: Uint8Array; gen: Uint16Array } | null = null;
let generation = 0;
const EXACT = 1, LOWER = 2, UPPER = 3;
/** Futility margins (cp) by remaining depth. */
const FUTILITY = [0, 150, 350];

function table() {
  tt ??= {
    hi: new Int32Array(TT_SIZE),
    move: new Int32Array(TT_SIZE),
    score: new Int32Array(TT_SIZE),
    depth: new Int8Array(TT_SIZE),
    flag: new Uint8Array(TT_SIZE),
    gen: new Uint16Array(TT_SIZE),
  };
  return tt;
}

class Abort extends Error {}

export interface RootScore {
  move: number;
  score: number;
  /** True when `score` is exact (within the root margin of the best); else an upper bound. */
  exact: boolean;
}

export interface RootResult {
  scores: RootScore[];
  depth: number;
  nodes: number;
  /** Best line from the root (moves as board integers). */
  pv: number[];
}

export class Searcher {
  nodes = 0;
  private readonly killers = new Int32Array(128 * 2);
  private readonly hist = new Int32Array(16 * 128);
  private readonly t = table();

  constructor(
    private readonly b: Board,
    private readonly w: EvalWeights,
    private readonly budget: number,
    /**
     * Selective search: late-move reductions (quiet moves far down the ordered list are
     * first searched a ply or two shallower and re-searched in full only if they beat
     * alpha), reverse futility and futility pruning near the leaves, delta pruning in
     * quiescence and a larger null-move reduction when deep. The same node budget then
     * reaches 2–3 plies deeper (ChampionChimp's strength; issue 27).
     */
    private readonly reduce = false,
  ) {
    generation = (generation + 1) & 0xffff || 1;
  }

  private orderScore(m: number, ttMove: number, ply: number): number {
    if (m === ttMove) return 1 << 30;
    const to = moveTo(m);
    if (moveFlags(m) & F_CAPTURE) {
      const victim = this.b.sq[to]! & 7 || PAWN;
      const attacker = this.b.sq[moveFrom(m)]! & 7;
      return (1 << 28) + VALUE[victim]! * 16 - VALUE[attacker]! / 10;
    }
    if (movePromo(m)) return (1 << 28) + VALUE[movePromo(m)]!;
    if (m === this.killers[ply * 2] || m === this.killers[ply * 2 + 1]) return 1 << 27;
    return this.hist[(this.b.sq[moveFrom(m)]! & 15) * 128 + to]!;
  }

  /** Moves in search order (insertion sort on scores: lists are short). */
  private sorted(moves: number[], ttMove: number, ply: number): number[] {
    const n = moves.length;
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const m = moves[i]!;
      const k = this.orderScore(m, ttMove, ply);
      let j = i - 1;
      while (j >= 0 && keys[j]! < k) {
        keys[j + 1] = keys[j]!;
        moves[j + 1] = moves[j]!;
        j--;
      }
      keys[j + 1] = k;
      moves[j + 1] = m;
    }
    return moves;
  }

  private repeated(): boolean {
    const h = this.b.history;
    const lo = this.b.hashLo;
    const stop = Math.max(0, h.length - this.b.halfmove);
    for (let i = h.length - 2; i >= stop; i -= 2) if (h[i] === lo) return true;
    return false;
  }

  private quiesce(alpha: number, beta: number, ply: number): number {
    if (++this.nodes > this.budget) throw new Abort();
    const stand = evaluate(this.b, this.w);
    if (stand >= beta) return stand;
    if (stand > alpha) alpha = stand;
    for (const m of this.sorted(this.b.pseudo([], true), 0, ply)) {
      // Delta pruning: a capture that cannot lift the score near alpha is not searched.
      if (this.reduce && !movePromo(m) && stand + VALUE[this.b.sq[moveTo(m)]! & 7 || PAWN]! + 200 < alpha) continue;
      if (!this.b.make(m)) continue;
      const s = -this.quiesce(-beta, -alpha, ply + 1);
      this.b.unmake(m);
      if (s >= beta) return s;
      if (s > alpha) alpha = s;
    }
    return alpha;
  }

  private negamax(depth: number, alpha: number, beta: number, ply: number, allowNull: boolean): number {
    const b = this.b;
    if (ply > 0 && (b.halfmove >= 100 || this.repeated())) return 0;
    const inCheck = b.inCheck();
    if (inCheck) depth++;
    if (depth <= 0) return this.quiesce(alpha, beta, ply);
    if (++this.nodes > this.budget) throw new Abort();
    // Mate-distance pruning: no line from here can beat a mate already found nearer the root.
    alpha = Math.max(alpha, -MATE + ply);
    beta = Math.min(beta, MATE - ply - 1);
    if (alpha >= beta) return alpha;

    const t = this.t;
    const i = b.hashLo & (TT_SIZE - 1);
    let ttMove = 0;
    if (t.gen[i] === generation && t.hi[i] === b.hashHi) {
      ttMove = t.move[i]!;
      if (ply > 0 && t.depth[i]! >= depth) {
        const s = t.score[i]!;
        const f = t.flag[i]!;
        if (f === EXACT || (f === LOWER && s >= beta) || (f === UPPER && s <= alpha)) return s;
      }
    }

    // Selective search (the `reduce` searcher only), in zero-window nodes away from mates:
    // a position already far above beta is cut off (reverse futility), and near the
    // leaves one far below alpha searches only forcing moves (futility).
    let futile = false;
    if (this.reduce && !inCheck && ply > 0 && beta - alpha === 1 && depth <= 3 && Math.abs(beta) < MATE - 500) {
      const ev = evaluate(b, this.w);
      if (ev - 120 * depth >= beta) return ev;
      futile = depth <= 2 && ev + FUTILITY[depth]! <= alpha;
    }

    if (allowNull && !inCheck && depth >= 3 && ply > 0 && beta < MATE - 500 && this.hasPieces()) {
      b.makeNull();
      const s = -this.negamax(depth - (this.reduce && depth >= 6 ? 4 : 3), -beta, -beta + 1, ply + 1, false);
      b.unmakeNull();
      if (s >= beta) return beta;
    }

    const alpha0 = alpha;
    let best = -INF;
    let bestMove = 0;
    let legal = 0;
    for (const m of this.sorted(b.pseudo([]), ttMove, ply)) {
      if (!b.make(m)) continue;
      legal++;
      let s: number;
      if (futile && legal > 1 && this.lateQuiet(m, -1)) {
        b.unmake(m);
        if (best < alpha) best = alpha; // a fail low: the move cannot reach alpha
        continue;
      }
      if (legal === 1) s = -this.negamax(depth - 1, -beta, -alpha, ply + 1, true);
      else {
        const r = this.reduce && depth >= 3 && legal > 3 && !inCheck && this.lateQuiet(m, ply) ? (legal > 8 ? 2 : 1) : 0;
        s = -this.negamax(depth - 1 - r, -alpha - 1, -alpha, ply + 1, true);
        if (r > 0 && s > alpha) s = -this.negamax(depth - 1, -alpha - 1, -alpha, ply + 1, true);
        if (s > alpha && s < beta) s = -this.negamax(depth - 1, -beta, -alpha, ply + 1, true);
      }
      b.unmake(m);
      if (s > best) {
        best = s;
        bestMove = m;
      }
      if (s > alpha) alpha = s;
      if (alpha >= beta) {
        if (!(moveFlags(m) & F_CAPTURE)) {
          if (this.killers[ply * 2] !== m) {
            this.killers[ply * 2 + 1] = this.killers[ply * 2]!;
            this.killers[ply * 2] = m;
          }
          this.hist[(b.sq[moveFrom(m)]! & 15) * 128 + moveTo(m)]! += depth * depth;
        }
        break;
      }
    }
    if (legal === 0) return inCheck ? -MATE + ply : 0;
    t.gen[i] = generation;
    t.hi[i] = b.hashHi;
    t.move[i] = bestMove;
    t.score[i] = best;
    t.depth[i] = depth;
    t.flag[i] = best <= alpha0 ? UPPER : best >= beta ? LOWER : EXACT;
    return best;
  }

  /** A quiet move worth reducing (called with `m` made): no capture, promotion, killer or check (ply −1: killers allowed). */
  private lateQuiet(m: number, ply: number): boolean {
    if (moveFlags(m) & F_CAPTURE || movePromo(m)) return false;
    if (ply >= 0 && (m === this.killers[ply * 2] || m === this.killers[ply * 2 + 1])) return false;
    return !this.b.inCheck();
  }

  private hasPieces(): boolean {
    const us = this.b.side;
    for (let s = 0; s < 128; s++) {
      if (s & 0x88) continue;
      const p = this.b.sq[s]!;
      if (p && p >> 3 === us && (p & 7) !== PAWN && (p & 7) !== 6) return true;
    }
    return false;
  }

  /**
   * Score every root move. Moves within `margin` of the best get exact scores (so a
   * personality can choose among near-equal moves); the rest are upper bounds. The
   * board is left in an undefined state when the budget runs out: use a copy.
   */
  searchRoot(maxDepth: number, margin: number): RootResult {
    const b = this.b;
    let moves = b.legal();
    let done: RootResult = { scores: moves.map((move) => ({ move, score: 0, exact: false })), depth: 0, nodes: 0, pv: moves.slice(0, 1) };
    for (let depth = 1; depth <= maxDepth && moves.length > 0; depth++) {
      const scores: RootScore[] = [];
      let best = -INF;
      try {
        for (const move of moves) {
          b.make(move);
          const alpha = best === -INF ? -INF : best - margin - 1;
          const s = -this.negamax(depth - 1, -INF, -alpha, 1, true);
          b.unmake(move);
          scores.push({ move, score: s, exact: s > alpha });
          if (s > best) best = s;
        }
      } catch (e) {
        if (!(e instanceof Abort)) throw e;
        // The aborted line is left half-played on the board: the caller must not reuse it.
        break;
      }
      scores.sort((x, y) => y.score - x.score);
      moves = scores.map((s) => s.move);
      done = { scores, depth, nodes: this.nodes, pv: this.pv(scores[0]!.move, isMateScore(best) ? matePlies(best) : depth) };
      // A proven mate (or a single legal move) will not change with more depth.
      if (isMateScore(best) || moves.length === 1) break;
    }
    done.nodes = this.nodes;
    return done;
  }

  /** The best line from the table, starting with `first`. */
  private pv(first: number, length: number): number[] {
    const b = this.b;
    const line = [first];
    b.make(first);
    const seen = new Set<number>([b.hashLo]);
    while (line.length < Math.min(length, 8)) {
      const i = b.hashLo & (TT_SIZE - 1);
      const t = this.t;
      if (t.gen[i] !== generation || t.hi[i] !== b.hashHi || !t.move[i]) break;
      const m = t.move[i]!;
      if (!b.legal().includes(m) || !b.make(m)) break;
      line.push(m);
      if (seen.has(b.hashLo)) break;
      seen.add(b.hashLo);
    }
    for (let k = line.length - 1; k >= 0; k--) b.unmake(line[k]!);
    return line;
  }
}
