// Maximum-likelihood Elo from game results (the strength calibration, bench/ai/calibrate.ts).
// Logistic model: P(a beats b) = 1 / (1 + 10^((Rb − Ra) / 400)); a draw counts as half a
// win and half a loss (score s: log-likelihood s·ln p + (1 − s)·ln(1 − p)). Anchors keep
// a fixed rating (Stockfish at a UCI_Elo level, a random mover); every other player's rating
// is fitted jointly from all games, so a monkey that never met an anchor is still placed
// through the monkeys it did meet. The 95 % interval is ±1.96 standard errors from the
// inverse of the observed information (the log-likelihood's Hessian).
// Pure and dependency-free; no product code uses it.

export interface EloGame {
  a: string;
  b: string;
  /** a's score: 1 win, 0.5 draw, 0 loss. */
  score: number;
}

export interface EloEstimate {
  player: string;
  elo: number;
  /** 95 % interval; ±Infinity when the data cannot bound it (e.g. no games). */
  lo: number;
  hi: number;
  games: number;
  score: number;
}

export interface EloOptions {
  /**
   * Virtual draws added per pair of players that met (BayesElo's prior, which uses 2):
   * keeps a player who won or lost every game at a finite rating. 0 = plain ML.
   */
  virtualDraws?: number;
}

const K = Math.LN10 / 400;
const expected = (d: number) => 1 / (1 + Math.exp(-K * d));

export function estimateElo(games: readonly EloGame[], anchors: Readonly<Record<string, number>>, opts: EloOptions = {}): EloEstimate[] {
  // Fold the games into per-pair totals: (i, j, n, score of i).
  const names = [...new Set(games.flatMap((g) => [g.a, g.b]))];
  const free = names.filter((n) => !(n in anchors));
  const idx = new Map(free.map((n, i) => [n, i]));
  const pairs = new Map<string, { a: string; b: string; n: number; s: number }>();
  for (const g of games) {
    if (g.a === g.b) continue;
    const [a, b, s] = g.a < g.b ? [g.a, g.b, g.score] : [g.b, g.a, 1 - g.score];
    const p = pairs.get(`${a}\n${b}`) ?? { a, b, n: 0, s: 0 };
    p.n++;
    p.s += s;
    pairs.set(`${a}\n${b}`, p);
  }
  const vd = opts.virtualDraws ?? 0;
  const list = [...pairs.values()].map((p) => ({ ...p, n: p.n + vd, s: p.s + vd / 2 }));

  const r = new Float64Array(free.length).fill(names.length ? avg(Object.values(anchors)) : 0);
  const rating = (n: string) => (n in anchors ? anchors[n]! : r[idx.get(n)!]!);
  let hess = zeros(free.length);
  // Newton's method on the concave log-likelihood, with step halving for safety.
  for (let iter = 0; iter < 200; iter++) {
    const grad = new Float64Array(free.length);
    hess = zeros(free.length);
    for (const p of list) {
      const e = expected(rating(p.a) - rating(p.b));
      const g = K * (p.s - p.n * e); // d logL / d Ra
      const h = K * K * p.n * e * (1 - e); // −d² logL / d Ra²
      const ia = idx.get(p.a);
      const ib = idx.get(p.b);
      if (ia !== undefined) { grad[ia]! += g; hess[ia]![ia]! += h; }
      if (ib !== undefined) { grad[ib]! -= g; hess[ib]![ib]! += h; }
      if (ia !== undefined && ib !== undefined) { hess[ia]![ib]! -= h; hess[ib]![ia]! -= h; }
    }
    // A tiny ridge keeps the system solvable while a rating runs off towards ±∞.
    const step = solve(hess.map((row, i) => row.map((v, j) => v + (i === j ? 1e-9 : 0))), grad);
    let maxStep = 0;
    for (let i = 0; i < free.length; i++) {
      const s = Math.max(-400, Math.min(400, step[i]!));
      r[i]! += s;
      maxStep = Math.max(maxStep, Math.abs(s));
    }
    if (maxStep < 1e-6) break;
  }
  const cov = invert(hess);
  return names.map((name) => {
    const mine = games.filter((g) => g.a === name || g.b === name);
    const score = mine.reduce((t, g) => t + (g.a === name ? g.score : 1 - g.score), 0);
    if (name in anchors) return { player: name, elo: anchors[name]!, lo: anchors[name]!, hi: anchors[name]!, games: mine.length, score };
    const i = idx.get(name)!;
    const v = cov?.[i]?.[i];
    const se = v !== undefined && Number.isFinite(v) && v > 0 ? Math.sqrt(v) : Infinity;
    // Every game won (or lost) and no prior: the likelihood has no maximum, only a bound.
    const unbounded = vd === 0 && (score === mine.length || score === 0);
    const elo = r[i]!;
    return {
      player: name, elo, games: mine.length, score,
      lo: unbounded && score === 0 ? -Infinity : elo - 1.96 * se,
      hi: unbounded && score > 0 ? Infinity : elo + 1.96 * se,
    };
  });
}

/** Elo difference for an expected score (0 < s < 1): 75 % → +191. */
export const eloFromScore = (s: number) => 400 * Math.log10(s / (1 - s));

const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 1500);
const zeros = (n: number) => Array.from({ length: n }, () => new Array<number>(n).fill(0));

/** Gaussian elimination with partial pivoting (n is the number of monkeys: tiny). */
function solve(a: number[][], b: Float64Array): Float64Array {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const d = m[c]![c]!;
    if (Math.abs(d) < 1e-300) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / d;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return Float64Array.from(m.map((row, i) => (Math.abs(row[i]!) < 1e-300 ? 0 : row[n]! / row[i]!)));
}

function invert(a: number[][]): number[][] | null {
  const n = a.length;
  const out = zeros(n);
  for (let c = 0; c < n; c++) {
    const e = new Float64Array(n);
    e[c] = 1;
    const col = solve(a, e);
    for (let r = 0; r < n; r++) out[r]![c] = col[r]!;
  }
  return out;
}
