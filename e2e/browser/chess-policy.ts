// A small greedy chess player for the browser test against an agent (chess.test.ts): the
// agent's replies are random, so the person's next move is chosen from the position.
// Priorities: mate in one (once it has promoted: the test wants both) > promotion >
// castling (after e4, Nf3, Bc4/Be2 clear the way) > captures that win material > pushing
// the most advanced pawn that is not left hanging > anything legal; never a stalemate or a
// repetition draw. "Hanging" is a one-ply look at the agent's best capture in reply.
// chess.js is the rules library of @monkeytown/shared (a workspace dependency).
import { Chess, type Color, type Move, type PieceSymbol } from 'chess.js';

const VALUE: Record<PieceSymbol, number> = { p: 1, n: 3, b: 3, r: 5, q: 9, k: 0 };
/** While the king may still castle: moves that clear its way, best first. */
const DEVELOP = ['e2e4', 'g1f3', 'f1c4', 'f1e2', 'e1g1', 'b1c3', 'd2d4', 'd2d3', 'c1f4', 'c1e3', 'c1g5', 'd1e2', 'd1d2', 'e1c1'];

const uci = (m: Move) => m.from + m.to + (m.promotion ?? '');
const key = (fen: string) => fen.split(' ').slice(0, 4).join(' ');

/**
 * What the side to move in `board` can win at once: its best single capture, less the
 * capturing piece when the square is defended (a recapture); 100 for a mate in one.
 */
function threat(board: Chess, us: Color): { worst: number; replies: number } {
  let worst = 0;
  const replies = board.moves({ verbose: true });
  for (const m of replies) {
    if (m.san.endsWith('#')) return { worst: 100, replies: replies.length };
    if (!m.captured && !m.promotion) continue;
    const defended = board.isAttacked(m.to, us);
    const won = (m.captured ? VALUE[m.captured] : 0) + (m.promotion ? VALUE[m.promotion] - 1 : 0);
    worst = Math.max(worst, won - (defended ? VALUE[m.piece] : 0));
  }
  return { worst, replies: replies.length };
}

/** The score of playing `m` (higher is better). `seen`: position keys since the last irreversible move. */
function score(m: Move, us: Color, canCastle: boolean, mate: boolean, seen: readonly string[]): number {
  const after = new Chess(m.after);
  if (after.isCheckmate()) return mate || m.promotion ? 10_000 : -5_000;
  // Never stalemate, repeat a position a third time or leave a bare draw: the game must go on.
  const repeats = seen.filter((k) => k === key(m.after)).length;
  if (after.isStalemate() || after.isInsufficientMaterial() || repeats >= 2) return -10_000;
  if (m.promotion) return 5_000 + VALUE[m.promotion];
  if (m.isKingsideCastle() || m.isQueensideCastle()) return 4_000;
  const { worst, replies } = threat(after, us);
  let s = 10 * ((m.captured ? VALUE[m.captured] : 0) - worst) - 15 * repeats; // shuffling back and forth ends in a draw
  if (canCastle) {
    const i = DEVELOP.indexOf(uci(m));
    if (i >= 0) s += DEVELOP.length - i;
    if (m.piece === 'k' || (m.piece === 'r' && ['a1', 'h1', 'a8', 'h8'].includes(m.from))) s -= 8; // keeps the castling right
  } else if (m.piece === 'p') {
    s += us === 'w' ? Number(m.to[1]) : 9 - Number(m.to[1]); // the most advanced pawn first
  }
  // Tie-breaks: once mate is wanted, hunt the king (fewer replies, checks); before, leave
  // the agent room to move (a boxed-in king risks a stalemate the policy cannot dodge).
  return mate ? s - replies / 10 + (after.inCheck() ? 1 : 0) : s + replies / 10;
}

/**
 * The policy's move in `fen` (side to move), with its SAN; `seen` as in score(). With
 * `mate: false` it passes up a mate in one unless the mating move promotes.
 */
export function chooseMove(fen: string, { seen = [], mate = true }: { seen?: readonly string[]; mate?: boolean } = {}): Move {
  const board = new Chess(fen);
  const us = board.turn();
  const rights = board.getCastlingRights(us);
  const moves = board.moves({ verbose: true });
  if (moves.length === 0) throw new Error(`no legal move in ${fen}`);
  let best = moves[0]!;
  let bestScore = -Infinity;
  for (const m of moves) {
    const s = score(m, us, rights.k || rights.q, mate, seen);
    if (s > bestScore) [best, bestScore] = [m, s];
  }
  return best;
}
