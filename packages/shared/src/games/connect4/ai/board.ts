import type { Seat } from '../../../schemas/game-basics.js';
import { C4_COLS, C4_ROWS, c4Index, type Connect4State } from '../engine.js';
import { mulberry32 } from '../../../ai/rng.js';

/**
 * Mutable connect-four board for search (play/undo, no allocation per node).
 * Internal layout is column-major from the bottom: cell = col * 6 + h, h = 0 is the
 * bottom row. Cells hold 0 (empty), 1 (seat 0) or 2 (seat 1).
 *
 * It keeps, incrementally:
 *  - a 64-bit Zobrist hash as two 32-bit halves (h1 indexes the table, h2 verifies);
 *  - the score of all 69 four-cell windows per player ("open lines"): a window counts
 *    for a player only while the other player has no piece in it, and a window with
 *    three pieces (a threat) gets a bonus when its empty cell sits on the row parity
 *    that favours that player (odd rows from the bottom for the first player, even rows
 *    for the second: the classic zugzwang rule that decides endgames).
 */
export const ROWS = C4_ROWS;
export const COLS = C4_COLS;
export const CENTRE_ORDER = [3, 2, 4, 1, 5, 0, 6] as const;

// Window values by piece count, and the row-parity bonus for threats.
const WINDOW_VALUE = [0, 1, 8, 40, 0];
const PARITY_BONUS = 30;
/** Extra value of a piece in the centre column (part of the most windows). */
const CENTRE_BONUS = 4;

/** Windows as 4 cell indices each, and for each cell the windows through it. */
const WINDOWS: number[][] = [];
const CELL_WINDOWS: number[][] = Array.from({ length: COLS * ROWS }, () => []);
for (const [dc, dh] of [[1, 0], [0, 1], [1, 1], [1, -1]] as const) {
  for (let c = 0; c < COLS; c++) {
    for (let h = 0; h < ROWS; h++) {
      const endC = c + 3 * dc;
      const endH = h + 3 * dh;
      if (endC < 0 || endC >= COLS || endH < 0 || endH >= ROWS) continue;
      const w = [0, 1, 2, 3].map((k) => (c + k * dc) * ROWS + (h + k * dh));
      const id = WINDOWS.length;
      WINDOWS.push(w);
      for (const cell of w) CELL_WINDOWS[cell]!.push(id);
    }
  }
}
export const WINDOW_COUNT = WINDOWS.length; // 69
// Flat typed copies for the hot path (rescore runs twice per searched node).
const WIN_FLAT = Int8Array.from(WINDOWS.flat());
const CW_START = new Int32Array(COLS * ROWS + 1);
for (let i = 0; i < COLS * ROWS; i++) CW_START[i + 1] = (CW_START[i] as number) + CELL_WINDOWS[i]!.length;
const CW_FLAT = Int32Array.from(CELL_WINDOWS.flat());

// Zobrist keys from a fixed seed: hashes are identical in every process.
const zrng = mulberry32(0xc0ffee);
const Z1 = Int32Array.from({ length: 2 * COLS * ROWS }, () => (zrng() * 2 ** 32) | 0);
const Z2 = Int32Array.from({ length: 2 * COLS * ROWS }, () => (zrng() * 2 ** 32) | 0);

export class Board {
  readonly cells = new Int8Array(COLS * ROWS);
  readonly heights = new Int8Array(COLS);
  moves = 0;
  /** Side to move: 0 or 1 (seat). */
  side: Seat = 0;
  h1 = 0;
  h2 = 0;
  /** Sum of window scores per seat. */
  readonly lines: [number, number] = [0, 0];
  private readonly contrib = new Int32Array(WINDOW_COUNT * 2);
  /** Pieces per window and seat. */
  private readonly cnt = new Int8Array(WINDOW_COUNT * 2);
  /** Per window and seat: the empty cell that would complete it (three of that seat), or -1. */
  private readonly wThreat = new Int8Array(WINDOW_COUNT * 2).fill(-1);
  /**
   * Per seat and cell: how many windows that cell would complete for that seat.
   * "Would a piece here win?" is then one array read instead of a line scan, which is
   * what makes the per-node immediate-win checks cheap.
   */
  private readonly threatCount = [new Int8Array(COLS * ROWS), new Int8Array(COLS * ROWS)] as const;

  static fromState(state: Connect4State): Board {
    const b = new Board();
    for (let c = 0; c < COLS; c++) {
      const height = state.heights[c] ?? 0;
      for (let h = 0; h < height; h++) {
        const v = state.cells[c4Index(ROWS - 1 - h, c)];
        if (v === null || v === undefined) throw new Error('inconsistent connect-four state');
        b.put(c, v);
      }
    }
    b.moves = state.moves;
    b.side = state.turn;
    return b;
  }

  canPlay(col: number): boolean {
    return (this.heights[col] as number) < ROWS;
  }

  /** Drop a piece of the side to move into `col`. */
  play(col: number): void {
    this.put(col, this.side);
    this.moves++;
    this.side = (1 - this.side) as Seat;
  }

  undo(col: number): void {
    const h = (this.heights[col] as number) - 1;
    const cell = col * ROWS + h;
    const who = (this.cells[cell] as number) - 1;
    this.cells[cell] = 0;
    this.heights[col] = h;
    this.h1 ^= Z1[who * 42 + cell] as number;
    this.h2 ^= Z2[who * 42 + cell] as number;
    this.rescore(cell, who, -1);
    if (col === 3) this.lines[who as Seat] -= CENTRE_BONUS;
    this.moves--;
    this.side = (1 - this.side) as Seat;
  }

  private put(col: number, who: Seat): void {
    const h = this.heights[col] as number;
    const cell = col * ROWS + h;
    this.cells[cell] = who + 1;
    this.heights[col] = h + 1;
    this.h1 ^= Z1[who * 42 + cell] as number;
    this.h2 ^= Z2[who * 42 + cell] as number;
    this.rescore(cell, who, 1);
    if (col === 3) this.lines[who] += CENTRE_BONUS;
  }

  /**
   * Update the windows through `cell` after a piece of `who` was added (delta +1) or
   * removed (delta -1): piece counts, their line scores and the threat cells.
   */
  private rescore(cell: number, who: number, delta: number): void {
    const cells = this.cells;
    const cnt = this.cnt;
    const contrib = this.contrib;
    const wThreat = this.wThreat;
    const tc0 = this.threatCount[0];
    const tc1 = this.threatCount[1];
    let d0 = 0;
    let d1 = 0;
    const end = CW_START[cell + 1] as number;
    for (let i = CW_START[cell] as number; i < end; i++) {
      const w = CW_FLAT[i] as number;
      const w2 = w * 2;
      cnt[w2 + who] = (cnt[w2 + who] as number) + delta;
      const n1 = cnt[w2] as number;
      const n2 = cnt[w2 + 1] as number;
      let empty = -1;
      if ((n1 === 3 && n2 === 0) || (n2 === 3 && n1 === 0)) {
        for (let k = w * 4; k < w * 4 + 4; k++) {
          const x = WIN_FLAT[k] as number;
          if (cells[x] === 0) empty = x;
        }
      }
      let new0 = 0;
      let new1 = 0;
      let t0 = -1;
      let t1 = -1;
      if (n2 === 0 && n1 > 0) {
        new0 = WINDOW_VALUE[n1] as number;
        if (n1 === 3) {
          t0 = empty;
          if (empty % ROWS % 2 === 0) new0 += PARITY_BONUS;
        }
      } else if (n1 === 0 && n2 > 0) {
        new1 = WINDOW_VALUE[n2] as number;
        if (n2 === 3) {
          t1 = empty;
          if (empty % ROWS % 2 === 1) new1 += PARITY_BONUS;
        }
      }
      d0 += new0 - (contrib[w2] as number);
      d1 += new1 - (contrib[w2 + 1] as number);
      contrib[w2] = new0;
      contrib[w2 + 1] = new1;
      const o0 = wThreat[w2] as number;
      if (o0 !== t0) {
        if (o0 >= 0) tc0[o0] = (tc0[o0] as number) - 1;
        if (t0 >= 0) tc0[t0] = (tc0[t0] as number) + 1;
        wThreat[w2] = t0;
      }
      const o1 = wThreat[w2 + 1] as number;
      if (o1 !== t1) {
        if (o1 >= 0) tc1[o1] = (tc1[o1] as number) - 1;
        if (t1 >= 0) tc1[t1] = (tc1[t1] as number) + 1;
        wThreat[w2 + 1] = t1;
      }
    }
    this.lines[0] += d0;
    this.lines[1] += d1;
  }

  /** Would a piece of `who` at the empty cell (col, h) make four? */
  winsAt(col: number, h: number, who: Seat): boolean {
    return (this.threatCount[who][col * ROWS + h] as number) > 0;
  }

  /** Would dropping a piece of `who` into `col` win at once? */
  winningDrop(col: number, who: Seat): boolean {
    const h = this.heights[col] as number;
    return h < ROWS && this.winsAt(col, h, who);
  }

  /** Empty cells (internal indices) where `who` would complete four: their threats. */
  threatCells(who: Seat): number[] {
    const out: number[] = [];
    for (let c = 0; c < COLS; c++) {
      for (let h = this.heights[c] as number; h < ROWS; h++) if (this.winsAt(c, h, who)) out.push(c * ROWS + h);
    }
    return out;
  }
}

const DIRS = [
  [1, 0],
  [0, 1],
  [1, 1],
  [1, -1],
] as const;

/** Human direction of the four (or three) that a piece at (col, h) would join for `who`. */
export function lineDirection(b: Board, col: number, h: number, who: Seat): 'horizontal' | 'vertical' | 'diagonal' | null {
  const v = who + 1;
  for (const [dc, dh] of DIRS) {
    let n = 1;
    for (const s of [1, -1]) {
      let c = col + dc * s;
      let r = h + dh * s;
      while (c >= 0 && c < COLS && r >= 0 && r < ROWS && b.cells[c * ROWS + r] === v) {
        n++;
        c += dc * s;
        r += dh * s;
      }
    }
    if (n >= 4) return dh === 0 ? 'horizontal' : dc === 0 ? 'vertical' : 'diagonal';
  }
  return null;
}
