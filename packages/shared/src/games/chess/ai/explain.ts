import type { Explanation } from '../../../ai/explanation.js';
import { Board, F_CAPTURE, F_CASTLE, F_EP, KING, KNIGHT, BISHOP, PAWN, moveFlags, moveFrom, movePromo, moveTo, moveUci, sqName } from '../board.js';
import { material, PIECE_NAMES, VALUE } from './evaluate.js';
import { isMateScore, matePlies } from './search.js';
import { newChess } from '../rules.js';

/** SAN of a line of board moves from `fen` (chess.js writes the notation). */
export function sanLine(fen: string, line: readonly number[]): string[] {
  const c = newChess(fen);
  const out: string[] = [];
  for (const m of line) {
    const u = moveUci(m);
    try {
      out.push(c.move({ from: u.slice(0, 2), to: u.slice(2, 4), ...(u[4] ? { promotion: u[4] } : {}) }).san);
    } catch {
      break;
    }
  }
  return out;
}

/** Is the piece on `s` attacked by the opponent and not worth keeping there? */
function enPrise(b: Board, s: number): boolean {
  const p = b.sq[s]!;
  if (!p || (p & 7) === KING) return false;
  const side = p >> 3;
  if (!b.attacked(s, side ^ 1)) return false;
  // Attacked and undefended, or attacked by something cheaper (a pawn on a knight, ...).
  if (!b.attacked(s, side)) return true;
  return cheapestAttacker(b, s, side ^ 1) < VALUE[p & 7]!;
}

function cheapestAttacker(b: Board, s: number, by: number): number {
  let best = Infinity;
  const saved = b.side;
  b.side = by;
  for (const m of b.pseudo([], true)) if (moveTo(m) === s) best = Math.min(best, VALUE[b.sq[moveFrom(m)]! & 7]! || 1000);
  b.side = saved;
  return best;
}

/**
 * Why the mover played `move`, judged on the real position and the searched line: mates,
 * material won along the principal variation, promotion, castling, saving a piece,
 * checks, development and the centre. `score` is the search's score for the move
 * (mover's view), `pv` the line starting with it.
 */
export function chessExplain(fen: string, move: number, score: number, pv: readonly number[]): Explanation {
  const b = Board.fromFen(fen);
  const me = b.side;
  const from = moveFrom(move);
  const to = moveTo(move);
  const piece = b.sq[from]! & 7;
  const flags = moveFlags(move);
  const san = sanLine(fen, pv.length ? pv : [move]);
  const first = san[0] ?? moveUci(move);
  const line = san.slice(0, 4).join(' ');

  if (first.endsWith('#')) {
    return { code: 'win', plain: `checkmates with ${first}`, tip: 'before anything else, look at every check: one of them may be mate.' };
  }
  if (isMateScore(score) && score > 0) {
    const n = Math.ceil(matePlies(score) / 2);
    return { code: 'forced-win', plain: `sees mate in ${n}: ${line}`, tip: 'checks, captures and threats first: forcing moves leave the opponent no choice.' };
  }
  if (isMateScore(score) && score < 0) {
    return { code: 'hold', plain: `fights on with ${first}, though mate is coming`, tip: 'even in a lost position, make the win as hard as you can.' };
  }

  // Material along the searched line (at most four plies, so the idea is near).
  const before = material(b, me) - material(b, me ^ 1);
  let after = before;
  let biggest = 0;
  const played: number[] = [];
  for (const m of pv.slice(0, 4)) {
    const victim = moveFlags(m) & F_EP ? PAWN : b.sq[moveTo(m)]! & 7;
    if (b.side === me && victim > biggest) biggest = victim;
    if (!b.make(m)) break;
    played.push(m);
    after = material(b, me) - material(b, me ^ 1);
  }
  for (let k = played.length - 1; k >= 0; k--) b.unmake(played[k]!);
  const gain = after - before;
  if (movePromo(move)) {
    return { code: 'promote', plain: `promotes to a ${PIECE_NAMES[movePromo(move)]} with ${first}`, tip: 'a pawn that reaches the last rank becomes a new piece, almost always a queen.' };
  }
  if (gain >= 200 && biggest) {
    return { code: 'capture', plain: `wins the ${PIECE_NAMES[biggest]}: ${line}`, tip: 'count attackers and defenders: a piece attacked more often than it is defended can be won.' };
  }
  if (flags & F_CAPTURE) {
    const victim = flags & F_EP ? PAWN : b.sq[to]! & 7;
    if (gain >= 80) {
      return { code: 'capture', plain: `wins a ${PIECE_NAMES[victim]} with ${first}`, tip: 'a free pawn is worth taking when nothing of yours hangs after it.' };
    }
    if (victim === piece && gain > -100) {
      return { code: 'trade', plain: `trades ${PIECE_NAMES[piece]}s with ${first}`, tip: 'trade when it helps you: ahead in material, trades bring the win closer.' };
    }
    return { code: 'capture', plain: `takes the ${PIECE_NAMES[victim]} on ${sqName(to)} (${first})`, tip: 'before you capture, check what your opponent can take back.' };
  }
  if (flags & F_CASTLE) {
    return { code: 'castle', plain: `castles (${first}) to get the king safe`, tip: 'castle early: the king is safer behind its pawns and the rook joins the game.' };
  }
  if (enPrise(b, from)) {
    b.make(move);
    const safe = !enPrise(b, to);
    b.unmake(move);
    if (safe) return { code: 'defend', plain: `saves {its} ${PIECE_NAMES[piece]} with ${first}`, tip: 'each move, ask what your opponent is attacking, not only what you attack.' };
  }
  if (first.endsWith('+')) {
    return { code: 'check', plain: `gives check with ${first}`, tip: 'a check forces a reply; use it when the reply helps you.' };
  }
  const backRank = me === 0 ? 0 : 7;
  if ((piece === KNIGHT || piece === BISHOP) && from >> 4 === backRank) {
    return { code: 'develop', plain: `develops the ${PIECE_NAMES[piece]} to ${sqName(to)}`, tip: 'bring knights and bishops out before moving the same piece twice.' };
  }
  if (piece === PAWN && [3, 4].includes(to & 7) && [3, 4].includes(to >> 4)) {
    return { code: 'centre', plain: `takes the centre with ${first}`, tip: 'pawns in the centre give your pieces room and take squares from the opponent.' };
  }
  if (score < -300) {
    return { code: 'hold', plain: `holds on with ${first}`, tip: 'when you are behind, keep pieces active and look for counterplay.' };
  }
  return { code: 'build', plain: `improves the position with ${first}`, tip: 'with no tactic on the board, put your worst piece on a better square.' };
}
