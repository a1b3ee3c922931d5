// Move numbering as players read it: a row per full move ("1. e4 e5"), the first mover's
// ply in the left column and the reply in the right. Chess counts full moves, so Black's
// 42nd ply is "21… h6#" (never "42."); the other games pair their plies the same way. A
// row that starts with the second seat (a game set up with it to move, an Othello pass)
// leaves the left column empty ("3… d6").
import type { Seat } from '@monkeytown/shared/schemas';

export interface MoveRow {
  /** The full-move number shown at the row's start. */
  no: number;
  /** Indexes into the move list: [first seat's ply, second seat's ply] (null: none). */
  plies: [number | null, number | null];
}

export function moveRows(moves: readonly { seat: Seat }[]): MoveRow[] {
  const rows: MoveRow[] = [];
  moves.forEach((m, i) => {
    const last = rows[rows.length - 1];
    if (m.seat === 1 && last && last.plies[1] === null) last.plies[1] = i;
    else rows.push({ no: rows.length + 1, plies: m.seat === 0 ? [i, null] : [null, i] });
  });
  return rows;
}

/** Each ply's number as written before it: "21." for the first seat's, "21…" for the reply. */
export function plyNumbers(moves: readonly { seat: Seat }[]): string[] {
  const out: string[] = [];
  for (const row of moveRows(moves)) {
    if (row.plies[0] !== null) out[row.plies[0]] = `${row.no}.`;
    if (row.plies[1] !== null) out[row.plies[1]] = `${row.no}…`;
  }
  return out;
}
