/**
 * A fast chess board for move generation and search: 0x88 squares, make/unmake without
 * allocation, incremental Zobrist hash. The engine lists legal moves with it (perft-tested
 * against published counts, and chess.js must accept every move it lists); the AI searches
 * with it. FEN in and out is chess.js's job; this reads a FEN only to start.
 *
 * Squares: 0x88 index = rank * 16 + file, rank 0 = White's back rank. Pieces: 1..6 =
 * P N B R Q K for White, | 8 for Black. A move is one integer: from | to << 7 |
 * promotion piece type << 14 | flags << 17.
 */
export const PAWN = 1, KNIGHT = 2, BISHOP = 3, ROOK = 4, QUEEN = 5, KING = 6;
export const BLACK = 8;
export const F_CAPTURE = 1, F_EP = 2, F_CASTLE = 4, F_DOUBLE = 8;

export const moveFrom = (m: number) => m & 0x7f;
export const moveTo = (m: number) => (m >> 7) & 0x7f;
export const movePromo = (m: number) => (m >> 14) & 7;
export const moveFlags = (m: number) => m >> 17;
const mk = (from: number, to: number, promo: number, flags: number) => from | (to << 7) | (promo << 14) | (flags << 17);

export const sqName = (sq: number) => 'abcdefgh'[sq & 7]! + String((sq >> 4) + 1);
export const sqFromName = (name: string) => (name.charCodeAt(1) - 49) * 16 + (name.charCodeAt(0) - 97);
const PROMO_CHARS = ['', '', 'n', 'b', 'r', 'q'];
export function moveUci(m: number): string {
  return sqName(moveFrom(m)) + sqName(moveTo(m)) + (PROMO_CHARS[movePromo(m)] ?? '');
}

const PROMOS = [QUEEN, ROOK, BISHOP, KNIGHT];
const KNIGHT_D = [33, 31, 18, 14, -33, -31, -18, -14];
const KING_D = [1, -1, 16, -16, 17, 15, -17, -15];
const BISHOP_D = [17, 15, -17, -15];
const ROOK_D = [1, -1, 16, -16];

// Zobrist keys: two 32-bit halves per (piece, square), side, castling, ep file.
function keys(n: number, seed: number): Int32Array {
  const out = new Int32Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = t ^ (t >>> 14);
  }
  return out;
}
const ZP = [keys(16 * 128, 1), keys(16 * 128, 2)] as const;
const ZSIDE = [0x5bd1e995, 0x27d4eb2f];
const ZCASTLE = [keys(16, 3), keys(16, 4)] as const;
const ZEP = [keys(8, 5), keys(8, 6)] as const;

/** Castling rights lost when a piece leaves or lands on a square. */
const CASTLE_MASK = new Uint8Array(128).fill(15);
CASTLE_MASK[0x00] = 15 & ~2; // a1: white queen side
CASTLE_MASK[0x07] = 15 & ~1; // h1: white king side
CASTLE_MASK[0x04] = 15 & ~3; // e1
CASTLE_MASK[0x70] = 15 & ~8; // a8
CASTLE_MASK[0x77] = 15 & ~4; // h8
CASTLE_MASK[0x74] = 15 & ~12; // e8

const FEN_PIECES: Record<string, number> = { p: 1, n: 2, b: 3, r: 4, q: 5, k: 6 };

export class Board {
  readonly sq = new Uint8Array(128);
  /** 0 = White to move, 1 = Black. */
  side = 0;
  /** Bits: 1 = White O-O, 2 = White O-O-O, 4 = Black O-O, 8 = Black O-O-O. */
  castling = 0;
  ep = -1;
  halfmove = 0;
  readonly kings = [0, 0];
  hashLo = 0;
  hashHi = 0;
  /** Hashes of earlier positions (for repetition in search) and undo records. */
  private readonly stack: number[] = [];
  readonly history: number[] = [];

  static fromFen(fen: string): Board {
    const b = new Board();
    const [placement = '', side = 'w', castling = '-', ep = '-', half = '0'] = fen.trim().split(/\s+/);
    let rank = 7;
    let file = 0;
    for (const ch of placement) {
      if (ch === '/') {
        rank--;
        file = 0;
      } else if (ch >= '1' && ch <= '8') {
        file += Number(ch);
      } else {
        const t = FEN_PIECES[ch.toLowerCase()] ?? 0;
        const p = t | (ch === ch.toLowerCase() ? BLACK : 0);
        b.sq[rank * 16 + file] = p;
        if (t === KING) b.kings[p >> 3] = rank * 16 + file;
        file++;
      }
    }
    b.side = side === 'b' ? 1 : 0;
    b.castling = (castling.includes('K') ? 1 : 0) | (castling.includes('Q') ? 2 : 0) | (castling.includes('k') ? 4 : 0) | (castling.includes('q') ? 8 : 0);
    b.ep = ep === '-' ? -1 : sqFromName(ep);
    b.halfmove = Number(half) || 0;
    b.rehash();
    return b;
  }

  rehash(): void {
    let lo = 0;
    let hi = 0;
    for (let s = 0; s < 128; s++) {
      if (s & 0x88) continue;
      const p = this.sq[s]!;
      if (p) {
        lo ^= ZP[0][p * 128 + s]!;
        hi ^= ZP[1][p * 128 + s]!;
      }
    }
    if (this.side) {
      lo ^= ZSIDE[0]!;
      hi ^= ZSIDE[1]!;
    }
    lo ^= ZCASTLE[0][this.castling]!;
    hi ^= ZCASTLE[1][this.castling]!;
    if (this.ep >= 0) {
      lo ^= ZEP[0][this.ep & 7]!;
      hi ^= ZEP[1][this.ep & 7]!;
    }
    this.hashLo = lo;
    this.hashHi = hi;
  }

  /** Is `s` attacked by any piece of colour `by` (0 White, 1 Black)? */
  attacked(s: number, by: number): boolean {
    const sq = this.sq;
    const c = by << 3;
    // Pawns attack diagonally forward: a white pawn on s-15 or s-17 attacks s.
    const pd = by === 0 ? -16 : 16;
    const pawn = PAWN | c;
    if ((!((s + pd - 1) & 0x88) && sq[s + pd - 1] === pawn) || (!((s + pd + 1) & 0x88) && sq[s + pd + 1] === pawn)) return true;
    for (const d of KNIGHT_D) {
      const f = s + d;
      if (!(f & 0x88) && sq[f] === (KNIGHT | c)) return true;
    }
    for (const d of KING_D) {
      const f = s + d;
      if (!(f & 0x88) && sq[f] === (KING | c)) return true;
    }
    for (const d of BISHOP_D) {
      for (let f = s + d; !(f & 0x88); f += d) {
        const p = sq[f]!;
        if (p) {
          if (p === (BISHOP | c) || p === (QUEEN | c)) return true;
          break;
        }
      }
    }
    for (const d of ROOK_D) {
      for (let f = s + d; !(f & 0x88); f += d) {
        const p = sq[f]!;
        if (p) {
          if (p === (ROOK | c) || p === (QUEEN | c)) return true;
          break;
        }
      }
    }
    return false;
  }

  inCheck(side = this.side): boolean {
    return this.attacked(this.kings[side]!, side ^ 1);
  }

  /** Pseudo-legal moves of the side to move appended to `out` (captures only if asked). */
  pseudo(out: number[], capturesOnly = false): number[] {
    const sq = this.sq;
    const us = this.side;
    const them = us ^ 1;
    for (let s = 0; s < 128; s++) {
      if (s & 0x88) {
        s += 7;
        continue;
      }
      const p = sq[s]!;
      if (!p || p >> 3 !== us) continue;
      const t = p & 7;
      if (t === PAWN) {
        const fwd = us === 0 ? 16 : -16;
        const startRank = us === 0 ? 1 : 6;
        const lastRank = us === 0 ? 7 : 0;
        const one = s + fwd;
        const promo = one >> 4 === lastRank;
        if (!(one & 0x88) && !sq[one] && (!capturesOnly || promo)) {
          if (promo) for (const pr of PROMOS) out.push(mk(s, one, pr, 0));
          else {
            out.push(mk(s, one, 0, 0));
            const two = one + fwd;
            if (s >> 4 === startRank && !sq[two]) out.push(mk(s, two, 0, F_DOUBLE));
          }
        }
        for (let k = 0; k < 2; k++) {
          const to = s + fwd + (k === 0 ? -1 : 1);
          if (to & 0x88) continue;
          const q = sq[to]!;
          if (q && q >> 3 === them) {
            if (promo) for (const pr of PROMOS) out.push(mk(s, to, pr, F_CAPTURE));
            else out.push(mk(s, to, 0, F_CAPTURE));
          } else if (to === this.ep) out.push(mk(s, to, 0, F_CAPTURE | F_EP));
        }
      } else if (t === KNIGHT || t === KING) {
        for (const d of t === KNIGHT ? KNIGHT_D : KING_D) {
          const to = s + d;
          if (to & 0x88) continue;
          const q = sq[to]!;
          if (!q) {
            if (!capturesOnly) out.push(mk(s, to, 0, 0));
          } else if (q >> 3 === them) out.push(mk(s, to, 0, F_CAPTURE));
        }
        if (t === KING && !capturesOnly) this.castles(s, out);
      } else {
        const dirs = t === BISHOP ? BISHOP_D : t === ROOK ? ROOK_D : KING_D;
        for (const d of dirs) {
          for (let to = s + d; !(to & 0x88); to += d) {
            const q = sq[to]!;
            if (!q) {
              if (!capturesOnly) out.push(mk(s, to, 0, 0));
              continue;
            }
            if (q >> 3 === them) out.push(mk(s, to, 0, F_CAPTURE));
            break;
          }
        }
      }
    }
    return out;
  }

  private castles(s: number, out: number[]): void {
    const us = this.side;
    const base = us === 0 ? 0 : 0x70;
    if (s !== base + 4) return;
    const them = us ^ 1;
    const sq = this.sq;
    const ks = us === 0 ? 1 : 4;
    const qs = us === 0 ? 2 : 8;
    if (this.castling & ks && !sq[base + 5] && !sq[base + 6] && sq[base + 7] === (ROOK | (us << 3))) {
      if (!this.attacked(s, them) && !this.attacked(base + 5, them) && !this.attacked(base + 6, them)) out.push(mk(s, base + 6, 0, F_CASTLE));
    }
    if (this.castling & qs && !sq[base + 3] && !sq[base + 2] && !sq[base + 1] && sq[base] === (ROOK | (us << 3))) {
      if (!this.attacked(s, them) && !this.attacked(base + 3, them) && !this.attacked(base + 2, them)) out.push(mk(s, base + 2, 0, F_CASTLE));
    }
  }

  /** Legal moves of the side to move. */
  legal(capturesOnly = false): number[] {
    const out: number[] = [];
    for (const m of this.pseudo([], capturesOnly)) {
      if (this.make(m)) {
        out.push(m);
        this.unmake(m);
      }
    }
    return out;
  }

  private xorPiece(p: number, s: number): void {
    this.hashLo ^= ZP[0][p * 128 + s]!;
    this.hashHi ^= ZP[1][p * 128 + s]!;
  }

  /** Play `m`; false (and nothing changed) when it leaves the mover's king in check. */
  make(m: number): boolean {
    const sq = this.sq;
    const from = moveFrom(m);
    const to = moveTo(m);
    const flags = moveFlags(m);
    const p = sq[from]!;
    const us = this.side;
    const captured = flags & F_EP ? 0 : sq[to]!;
    this.stack.push(captured, this.castling, this.ep, this.halfmove, this.hashLo, this.hashHi);
    this.history.push(this.hashLo);
    this.hashLo ^= ZCASTLE[0][this.castling]!;
    this.hashHi ^= ZCASTLE[1][this.castling]!;
    if (this.ep >= 0) {
      this.hashLo ^= ZEP[0][this.ep & 7]!;
      this.hashHi ^= ZEP[1][this.ep & 7]!;
    }
    if (captured) this.xorPiece(captured, to);
    this.xorPiece(p, from);
    sq[from] = 0;
    const promo = movePromo(m);
    const placed = promo ? promo | (us << 3) : p;
    sq[to] = placed;
    this.xorPiece(placed, to);
    if (flags & F_EP) {
      const capSq = to + (us === 0 ? -16 : 16);
      this.xorPiece(sq[capSq]!, capSq);
      sq[capSq] = 0;
    }
    if (flags & F_CASTLE) {
      const rFrom = to > from ? to + 1 : to - 2;
      const rTo = to > from ? to - 1 : to + 1;
      const r = sq[rFrom]!;
      this.xorPiece(r, rFrom);
      sq[rFrom] = 0;
      sq[rTo] = r;
      this.xorPiece(r, rTo);
    }
    if ((p & 7) === KING) this.kings[us] = to;
    this.castling &= CASTLE_MASK[from]! & CASTLE_MASK[to]!;
    this.ep = flags & F_DOUBLE ? (from + to) >> 1 : -1;
    this.halfmove = (p & 7) === PAWN || captured || flags & F_EP ? 0 : this.halfmove + 1;
    this.hashLo ^= ZCASTLE[0][this.castling]! ^ ZSIDE[0]!;
    this.hashHi ^= ZCASTLE[1][this.castling]! ^ ZSIDE[1]!;
    if (this.ep >= 0) {
      this.hashLo ^= ZEP[0][this.ep & 7]!;
      this.hashHi ^= ZEP[1][this.ep & 7]!;
    }
    this.side = us ^ 1;
    if (this.attacked(this.kings[us]!, us ^ 1)) {
      this.unmake(m);
      return false;
    }
    return true;
  }

  unmake(m: number): void {
    const sq = this.sq;
    const from = moveFrom(m);
    const to = moveTo(m);
    const flags = moveFlags(m);
    this.side ^= 1;
    const us = this.side;
    const st = this.stack;
    this.hashHi = st.pop()!;
    this.hashLo = st.pop()!;
    this.halfmove = st.pop()!;
    this.ep = st.pop()!;
    this.castling = st.pop()!;
    const captured = st.pop()!;
    this.history.pop();
    const placed = sq[to]!;
    const p = movePromo(m) ? PAWN | (us << 3) : placed;
    sq[from] = p;
    sq[to] = captured;
    if (flags & F_EP) sq[to + (us === 0 ? -16 : 16)] = PAWN | ((us ^ 1) << 3);
    if (flags & F_CASTLE) {
      const rFrom = to > from ? to + 1 : to - 2;
      const rTo = to > from ? to - 1 : to + 1;
      sq[rFrom] = sq[rTo]!;
      sq[rTo] = 0;
    }
    if ((p & 7) === KING) this.kings[us] = from;
  }

  /** Null move for search (pass the turn); undo with unmakeNull. */
  makeNull(): void {
    this.stack.push(this.ep, this.hashLo, this.hashHi);
    this.history.push(this.hashLo);
    if (this.ep >= 0) {
      this.hashLo ^= ZEP[0][this.ep & 7]!;
      this.hashHi ^= ZEP[1][this.ep & 7]!;
    }
    this.ep = -1;
    this.hashLo ^= ZSIDE[0]!;
    this.hashHi ^= ZSIDE[1]!;
    this.side ^= 1;
  }

  unmakeNull(): void {
    this.side ^= 1;
    this.hashHi = this.stack.pop()!;
    this.hashLo = this.stack.pop()!;
    this.ep = this.stack.pop()!;
    this.history.pop();
  }

  /** The legal move with this UCI text, or 0. */
  findUci(uci: string): number {
    for (const m of this.legal()) if (moveUci(m) === uci) return m;
    return 0;
  }

  perft(depth: number): number {
    if (depth === 0) return 1;
    let n = 0;
    for (const m of this.pseudo([])) {
      if (!this.make(m)) continue;
      n += depth === 1 ? 1 : this.perft(depth - 1);
      this.unmake(m);
    }
    return n;
  }
}
