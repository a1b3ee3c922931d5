import { BISHOP, Board, KING, KNIGHT, PAWN, QUEEN, ROOK } from '../board.js';

/**
 * Static evaluation in centipawns from the side to move: material, piece-square tables
 * (the "simplified evaluation function", tapered between middlegame and endgame for the
 * king) and mobility of the pieces (weighted per personality).
 */
export const VALUE = [0, 100, 320, 330, 500, 900, 0];

// Tables from White's point of view, a8..h8 first (so index by (7 - rank) * 8 + file).
const PST_P = [
  0, 0, 0, 0, 0, 0, 0, 0, 50, 50, 50, 50, 50, 50, 50, 50, 10, 10, 20, 30, 30, 20, 10, 10, 5, 5, 10, 25, 25, 10, 5, 5,
  0, 0, 0, 20, 20, 0, 0, 0, 5, -5, -10, 0, 0, -10, -5, 5, 5, 10, 10, -20, -20, 10, 10, 5, 0, 0, 0, 0, 0, 0, 0, 0,
];
const PST_N = [
  -50, -40, -30, -30, -30, -30, -40, -50, -40, -20, 0, 0, 0, 0, -20, -40, -30, 0, 10, 15, 15, 10, 0, -30, -30, 5, 15, 20, 20, 15, 5, -30,
  -30, 0, 15, 20, 20, 15, 0, -30, -30, 5, 10, 15, 15, 10, 5, -30, -40, -20, 0, 5, 5, 0, -20, -40, -50, -40, -30, -30, -30, -30, -40, -50,
];
const PST_B = [
  -20, -10, -10, -10, -10, -10, -10, -20, -10, 0, 0, 0, 0, 0, 0, -10, -10, 0, 5, 10, 10, 5, 0, -10, -10, 5, 5, 10, 10, 5, 5, -10,
  -10, 0, 10, 10, 10, 10, 0, -10, -10, 10, 10, 10, 10, 10, 10, -10, -10, 5, 0, 0, 0, 0, 5, -10, -20, -10, -10, -10, -10, -10, -10, -20,
];
const PST_R = [
  0, 0, 0, 0, 0, 0, 0, 0, 5, 10, 10, 10, 10, 10, 10, 5, -5, 0, 0, 0, 0, 0, 0, -5, -5, 0, 0, 0, 0, 0, 0, -5,
  -5, 0, 0, 0, 0, 0, 0, -5, -5, 0, 0, 0, 0, 0, 0, -5, -5, 0, 0, 0, 0, 0, 0, -5, 0, 0, 0, 5, 5, 0, 0, 0,
];
const PST_Q = [
  -20, -10, -10, -5, -5, -10, -10, -20, -10, 0, 0, 0, 0, 0, 0, -10, -10, 0, 5, 5, 5, 5, 0, -10, -5, 0, 5, 5, 5, 5, 0, -5,
  0, 0, 5, 5, 5, 5, 0, -5, -10, 5, 5, 5, 5, 5, 0, -10, -10, 0, 5, 0, 0, 0, 0, -10, -20, -10, -10, -5, -5, -10, -10, -20,
];
const PST_K_MG = [
  -30, -40, -40, -50, -50, -40, -40, -30, -30, -40, -40, -50, -50, -40, -40, -30, -30, -40, -40, -50, -50, -40, -40, -30, -30, -40, -40, -50, -50, -40, -40, -30,
  -20, -30, -30, -40, -40, -30, -30, -20, -10, -20, -20, -20, -20, -20, -20, -10, 20, 20, 0, 0, 0, 0, 20, 20, 20, 30, 10, 0, 0, 10, 30, 20,
];
const PST_K_EG = [
  -50, -40, -30, -20, -20, -30, -40, -50, -30, -20, -10, 0, 0, -10, -20, -30, -30, -10, 20, 30, 30, 20, -10, -30, -30, -10, 30, 40, 40, 30, -10, -30,
  -30, -10, 30, 40, 40, 30, -10, -30, -30, -10, 20, 30, 30, 20, -10, -30, -30, -30, 0, 0, 0, 0, -30, -30, -50, -30, -30, -30, -30, -30, -30, -50,
];
const PST = [[], PST_P, PST_N, PST_B, PST_R, PST_Q];
const PHASE = [0, 0, 1, 1, 2, 4, 0]; // 24 = all pieces on the board

const DIRS: number[][] = [[], [], [33, 31, 18, 14, -33, -31, -18, -14], [17, 15, -17, -15], [1, -1, 16, -16], [1, -1, 16, -16, 17, 15, -17, -15]];

export interface EvalWeights {
  /** Centipawns per reachable square for knights, bishops, rooks and queens. */
  mobility: number;
  /** Multiplier on the king's middlegame square table (pawn shield, castled king). */
  kingSafety: number;
}

export function evaluate(b: Board, w: EvalWeights): number {
  const sq = b.sq;
  let mg = 0; // White minus Black, middlegame king
  let kingMg = 0;
  let kingEg = 0;
  let phase = 0;
  let mob = 0;
  for (let s = 0; s < 128; s++) {
    if (s & 0x88) {
      s += 7;
      continue;
    }
    const p = sq[s]!;
    if (!p) continue;
    const t = p & 7;
    const white = p < 8;
    const idx = white ? (7 - (s >> 4)) * 8 + (s & 7) : (s >> 4) * 8 + (s & 7);
    const sign = white ? 1 : -1;
    if (t === KING) {
      kingMg += sign * PST_K_MG[idx]!;
      kingEg += sign * PST_K_EG[idx]!;
      continue;
    }
    phase += PHASE[t]!;
    mg += sign * (VALUE[t]! + PST[t]![idx]!);
    if (t !== PAWN && w.mobility > 0) {
      let n = 0;
      const slide = t !== KNIGHT;
      for (const d of DIRS[t]!) {
        for (let to = s + d; !(to & 0x88); to += d) {
          const q = sq[to]!;
          if (q && q >> 3 === p >> 3) break;
          n++;
          if (q || !slide) break;
        }
      }
      mob += sign * n;
    }
  }
  const ph = Math.min(phase, 24);
  const score = mg + Math.round((kingMg * w.kingSafety * ph + kingEg * (24 - ph)) / 24) + w.mobility * mob;
  return b.side === 0 ? score : -score;
}

/** Material of one side (no kings), for explanations and adjudication. */
export function material(b: Board, side: number): number {
  let m = 0;
  for (let s = 0; s < 128; s++) {
    if (s & 0x88) {
      s += 7;
      continue;
    }
    const p = b.sq[s]!;
    if (p && p >> 3 === side) m += VALUE[p & 7]!;
  }
  return m;
}

export const PIECE_NAMES = ['', 'pawn', 'knight', 'bishop', 'rook', 'queen', 'king'];
export { BISHOP, KING, KNIGHT, PAWN, QUEEN, ROOK };
