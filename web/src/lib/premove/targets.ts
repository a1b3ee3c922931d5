// Which moves a player may queue as a premove while the opponent is to move: the moves
// that could be legal once the opponent has moved. Nothing here decides legality: a queued
// premove is checked against the real position when the turn comes (useGamePremove).
import { engineFor, type ChessState } from '@monkeytown/shared/games';
import type { GameType, Seat } from '@monkeytown/shared/schemas';

const FILES = 'abcdefgh';

/** Square → piece letter (upper case = White) from a FEN's placement field. */
function pieces(fen: string): Map<string, string> {
  const out = new Map<string, string>();
  (fen.split(' ')[0] ?? '').split('/').forEach((row, r) => {
    let f = 0;
    for (const ch of row) {
      if (/\d/.test(ch)) f += Number(ch);
      else out.set(`${FILES[f++]}${8 - r}`, ch);
    }
  });
  return out;
}

/**
 * Chess: the seat's moves in the position as if it were its turn (no en passant: that
 * right belongs to the move just made), less captures of the king, plus each pawn's
 * diagonal steps onto empty squares (the opponent may move a piece there to be taken).
 */
function chessPremoves(state: ChessState, seat: Seat): { uci: string }[] {
  const engine = engineFor('chess');
  if (!engine) return [];
  const fields = state.fen.split(' ');
  fields[1] = seat === 0 ? 'w' : 'b';
  fields[3] = '-';
  const board = pieces(state.fen);
  const theirKing = seat === 0 ? 'k' : 'K';
  let listed: { uci: string }[];
  try {
    listed = engine.legalMoves({ ...state, fen: fields.join(' '), turn: seat, check: false }) as { uci: string }[];
  } catch {
    return []; // a position the move generator refuses with this side to move
  }
  const out = new Map(listed.filter((m) => board.get(m.uci.slice(2, 4)) !== theirKing).map((m) => [m.uci, m]));
  const pawn = seat === 0 ? 'P' : 'p';
  const dir = seat === 0 ? 1 : -1;
  const lastRank = seat === 0 ? 8 : 1;
  for (const [sq, p] of board) {
    if (p !== pawn) continue;
    const rank = Number(sq[1]) + dir;
    if (rank < 1 || rank > 8) continue;
    for (const df of [-1, 1]) {
      const file = FILES[FILES.indexOf(sq[0]!) + df];
      if (!file || board.has(`${file}${rank}`)) continue;
      const base = `${sq}${file}${rank}`;
      for (const uci of rank === lastRank ? ['q', 'r', 'b', 'n'].map((x) => base + x) : [base]) out.set(uci, { uci });
    }
  }
  return [...out.values()];
}

/** The moves `seat` may queue now, in the engine's move shape (empty when there are none). */
export function premoveTargets(type: GameType, state: unknown, seat: Seat): unknown[] {
  const engine = engineFor(type);
  if (!engine || !state) return [];
  if (type === 'chess') return chessPremoves(state as ChessState, seat);
  // Tic-tac-toe, connect four, Othello: what the seat could play were it its turn now (an
  // empty cell, a column with room, an outflanking square). Never a pass: it is no choice.
  try {
    return engine.legalMoves({ ...(state as object), turn: seat }).filter((m) => (m as { square?: string }).square !== 'pass');
  } catch {
    return [];
  }
}
