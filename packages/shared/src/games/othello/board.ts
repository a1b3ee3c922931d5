// Othello's rules on a flat 64-cell board, shared by the engine (plain JSON states) and the
// AI's search (one mutable Int8Array with make/unmake). Index = row * 8 + col, row 0 is
// row "1" at the TOP, as Othello boards and their notation are printed ("d3" = row 2, col 3).

export const OTH_SIZE = 8;
export const OTH_CELLS = 64;
/** Cell value for an empty square in the search's Int8Array (seats are 0 and 1). */
export const EMPTY = -1;

/** Anything indexable cell by cell: the engine's JSON array or the search's Int8Array. */
export type Cells = ArrayLike<number | null>;

// The 8 directions as (dRow, dCol).
const DIRS: readonly (readonly [number, number])[] = [
  [-1, -1], [-1, 0], [-1, 1],
  [0, -1], [0, 1],
  [1, -1], [1, 0], [1, 1],
];

/**
 * Rays from every square in every direction, precomputed once: a move's flips are found by
 * walking rays, not by bounds checks on every step (the search calls this millions of times).
 */
const RAYS: readonly (readonly number[])[][] = Array.from({ length: OTH_CELLS }, (_, sq) =>
  DIRS.map(([dr, dc]) => {
    const ray: number[] = [];
    let r = Math.floor(sq / 8) + dr;
    let c = (sq % 8) + dc;
    while (r >= 0 && r < 8 && c >= 0 && c < 8) {
      ray.push(r * 8 + c);
      r += dr;
      c += dc;
    }
    return ray;
  }).filter((ray) => ray.length >= 2),
);

const isEmpty = (v: number | null | undefined): boolean => v === null || v === undefined || v === EMPTY;

/** The discs `who` would flip by playing `sq` (empty when the square is taken or flips nothing). */
export function flipsFor(cells: Cells, sq: number, who: number): number[] {
  if (!isEmpty(cells[sq])) return [];
  const out: number[] = [];
  for (const ray of RAYS[sq]!) {
    let n = 0;
    while (n < ray.length && cells[ray[n]!] === 1 - who) n++;
    if (n > 0 && n < ray.length && cells[ray[n]!] === who) for (let k = 0; k < n; k++) out.push(ray[k]!);
  }
  return out;
}

/** Does `sq` flip at least one disc for `who`? (Stops at the first ray that does.) */
export function isLegalSquare(cells: Cells, sq: number, who: number): boolean {
  if (!isEmpty(cells[sq])) return false;
  for (const ray of RAYS[sq]!) {
    let n = 0;
    while (n < ray.length && cells[ray[n]!] === 1 - who) n++;
    if (n > 0 && n < ray.length && cells[ray[n]!] === who) return true;
  }
  return false;
}

/** Every square `who` may play, in index order (a1, b1, ... h8 by rows). */
export function legalSquares(cells: Cells, who: number): number[] {
  const out: number[] = [];
  for (let sq = 0; sq < OTH_CELLS; sq++) if (isLegalSquare(cells, sq, who)) out.push(sq);
  return out;
}

export function hasLegalSquare(cells: Cells, who: number): boolean {
  for (let sq = 0; sq < OTH_CELLS; sq++) if (isLegalSquare(cells, sq, who)) return true;
  return false;
}

/** Discs per seat: [seat 0, seat 1]. */
export function discCounts(cells: Cells): [number, number] {
  let a = 0;
  let b = 0;
  for (let i = 0; i < OTH_CELLS; i++) {
    if (cells[i] === 0) a++;
    else if (cells[i] === 1) b++;
  }
  return [a, b];
}

/** "d3" for index 19. */
export function squareName(sq: number): string {
  return `${'abcdefgh'[sq % 8]}${Math.floor(sq / 8) + 1}`;
}

/** Index of "d3", or null for anything that is not a square. */
export function parseSquare(name: string): number | null {
  const m = /^([a-h])([1-8])$/.exec(name);
  return m ? (Number(m[2]) - 1) * 8 + 'abcdefgh'.indexOf(m[1]!) : null;
}

export const CORNERS: readonly number[] = [0, 7, 56, 63];

/** Which way a run of flips goes from the played square, in words ("along the diagonal"). */
export function flipDirection(sq: number, flips: readonly number[]): string | null {
  const kinds = new Set(
    flips.map((f) => {
      const dr = Math.floor(f / 8) - Math.floor(sq / 8);
      const dc = (f % 8) - (sq % 8);
      return dr === 0 ? 'row' : dc === 0 ? 'column' : 'diagonal';
    }),
  );
  if (kinds.size !== 1) return null;
  return `along the ${[...kinds][0]}`;
}
