import type { Seat } from '../../schemas/game-basics.js';

/**
 * Whether `seat` still has material that could ever mate, for a flag (the side
 * whose flag fell loses unless its opponent cannot mate: then it is a draw). lichess's
 * rule (scalachess InsufficientMaterial), from the FEN's placement:
 * - a bare king cannot mate;
 * - king and one knight mate only against a rook, bishop, knight or pawn (something to
 *   block its own king in);
 * - king and bishops all on one colour mate only against a knight, a pawn or a bishop
 *   on the other colour;
 * - anything else (a pawn, a rook, a queen, two knights, bishops on both colours,
 *   bishop and knight) can mate.
 * The chess engine's `canStillWin` hook (the server asks it when a flag falls).
 */
export function canMateFen(fen: string, seat: Seat): boolean {
  const mine = pieces(fen, seat === 0 ? 'w' : 'b');
  const theirs = pieces(fen, seat === 0 ? 'b' : 'w');
  const kinds = new Set(mine.map((p) => p.kind));
  if (mine.length === 0) return false;
  if ([...kinds].some((k) => k === 'p' || k === 'r' || k === 'q')) return true;
  const knights = mine.filter((p) => p.kind === 'n');
  const bishops = mine.filter((p) => p.kind === 'b');
  if (knights.length === 1 && bishops.length === 0) {
    return theirs.some((p) => p.kind !== 'q');
  }
  if (knights.length === 0) {
    const colours = new Set(bishops.map((b) => b.colour));
    if (colours.size > 1) return true;
    const mineColour = bishops[0]!.colour;
    return theirs.some((p) => p.kind === 'n' || p.kind === 'p' || (p.kind === 'b' && p.colour !== mineColour));
  }
  return true;
}

interface Piece {
  kind: 'p' | 'n' | 'b' | 'r' | 'q';
  /** Square colour: 0 dark, 1 light. */
  colour: 0 | 1;
}

/** The pieces of one side other than its king. */
function pieces(fen: string, side: 'w' | 'b'): Piece[] {
  const out: Piece[] = [];
  const ranks = fen.split(' ')[0]!.split('/');
  ranks.forEach((rank, r) => {
    let file = 0;
    for (const ch of rank) {
      if (/\d/.test(ch)) {
        file += Number(ch);
        continue;
      }
      const white = ch === ch.toUpperCase();
      const kind = ch.toLowerCase();
      if ((white ? 'w' : 'b') === side && kind !== 'k') out.push({ kind: kind as Piece['kind'], colour: ((file + r) % 2) as 0 | 1 });
      file += 1;
    }
  });
  return out;
}
