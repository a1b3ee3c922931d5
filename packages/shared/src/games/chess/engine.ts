import type { Chess, Move as ChessJsMove } from 'chess.js';
import { canMateFen } from './material.js';
import { ChessMove } from './move.js';
import type { GameResult, Seat } from '../../schemas/game-basics.js';
import { IllegalMoveError, type GameEngine, type RecordTags } from '../types.js';
import { pgnComment, pgnDate, pgnExtraTags, pgnResult } from '../pgn-tags.js';
import { Board, moveUci, sqFromName } from './board.js';
import { CHESS_META } from './meta.js';
import { newChess } from './rules.js';

/**
 * Chess, with the rules from chess.js (BSD-2, safe in browsers; loaded lazily, rules.ts): castling, en passant,
 * promotion, check, mate, stalemate (legal moves are listed by the fast board in board.ts,
 * which is perft-tested, and chess.js must accept every move it lists). The state is JSON: the position as FEN plus the
 * history (UCI and SAN), and the position keys since the last capture or pawn move, which
 * is all threefold repetition needs. Draws by threefold repetition, the fifty-move rule
 * and insufficient material end the game at once (no claim needed: nobody has to know
 * how to claim). Seat 0 is White.
 */
export const CHESS_START_FEN = 'rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1';

export type ChessEnding = 'checkmate' | 'stalemate' | 'threefold' | 'fifty-move' | 'insufficient-material';

export interface ChessState {
  /** The position now (FEN). */
  fen: string;
  /** Where the game started (the standard position, or a test's FEN). */
  startFen: string;
  /** Every move so far in UCI ("e2e4", "e7e8q") and in SAN ("e4", "e8=Q+"). */
  uci: string[];
  san: string[];
  /**
   * Position keys (FEN without the clocks) since the last irreversible move, the current
   * one last: a position seen three times here is a threefold repetition.
   */
  repetition: string[];
  turn: Seat;
  /** The side to move is in check (the board highlights its king). */
  check: boolean;
  /** From/to of the last move, for the last-move highlight. */
  lastMove: { from: string; to: string } | null;
  result: { winner: Seat | null; ending: ChessEnding } | null;
}

/** How each ending reads after "by" in a result ("draw by threefold repetition"): GameResult.detail. */
export const CHESS_ENDING_DETAIL: Record<ChessEnding, string> = {
  checkmate: 'checkmate',
  stalemate: 'stalemate',
  threefold: 'threefold repetition',
  'fifty-move': 'the fifty-move rule',
  'insufficient-material': 'insufficient material',
};

/** The repetition key of a FEN: placement, side, castling, en passant (no clocks). */
export function positionKey(fen: string): string {
  return fen.split(' ').slice(0, 4).join(' ');
}

const seatOf = (color: 'w' | 'b'): Seat => (color === 'w' ? 0 : 1);

/**
 * Legal moves (UCI) by FEN, from the fast board. The server asks for one position's list
 * three times per move (is the move just made mate? the snapshot it sends back; the check
 * of the next move), and every GET of a game in play once more: computed once. Bounded:
 * the oldest position goes first (a live game only ever needs its latest).
 */
const LEGAL_CACHE_SIZE = 1024;
const legalCache = new Map<string, readonly string[]>();

function legalUci(fen: string): readonly string[] {
  let moves = legalCache.get(fen);
  if (!moves) {
    moves = Board.fromFen(fen).legal().map(moveUci);
    if (legalCache.size >= LEGAL_CACHE_SIZE) legalCache.delete(legalCache.keys().next().value!);
    legalCache.set(fen, moves);
  }
  return moves;
}

/**
 * The ending, if the position ends the game. Mate and stalemate come from the fast board
 * (no legal move; chess.js would generate them again, ~0.5 ms each); insufficient material
 * and the fifty-move count from chess.js; repetition from `keys`.
 */
function endingOf(chess: Chess, fen: string, keys: readonly string[]): ChessState['result'] {
  const toMove = seatOf(chess.turn());
  if (legalUci(fen).length === 0) {
    return chess.inCheck() ? { winner: (1 - toMove) as Seat, ending: 'checkmate' } : { winner: null, ending: 'stalemate' };
  }
  if (chess.isInsufficientMaterial()) return { winner: null, ending: 'insufficient-material' };
  const now = keys[keys.length - 1];
  if (keys.filter((k) => k === now).length >= 3) return { winner: null, ending: 'threefold' };
  if (chess.isDrawByFiftyMoves()) return { winner: null, ending: 'fifty-move' };
  return null;
}

/** A state for a position given as FEN (tests, puzzles); throws for an invalid FEN. */
export function chessStateFromFen(fen: string): ChessState {
  const chess = newChess(fen);
  const keys = [positionKey(chess.fen())];
  return {
    fen: chess.fen(),
    startFen: chess.fen(),
    uci: [],
    san: [],
    repetition: keys,
    turn: seatOf(chess.turn()),
    check: chess.inCheck(),
    lastMove: null,
    result: endingOf(chess, chess.fen(), keys),
  };
}

/** The standard start, what chessStateFromFen(CHESS_START_FEN) gives (a test checks). */
function startState(): ChessState {
  return {
    fen: CHESS_START_FEN,
    startFen: CHESS_START_FEN,
    uci: [],
    san: [],
    repetition: [positionKey(CHESS_START_FEN)],
    turn: 0,
    check: false,
    lastMove: null,
    result: null,
  };
}

export const uciOf = (m: Pick<ChessJsMove, 'from' | 'to' | 'promotion'>): string => `${m.from}${m.to}${m.promotion ?? ''}`;

/** Why `uci` is not a legal move in `fen`, or null when it is. Listing uses the fast board. */
function whyIllegal(fen: string, uci: string): string | null {
  const from = uci.slice(0, 2);
  const to = uci.slice(2, 4);
  const candidates = legalUci(fen).filter((u) => u.startsWith(from + to));
  if (candidates.length === 0) {
    const board = Board.fromFen(fen);
    const piece = board.sq[sqFromName(from)]!;
    if (!piece) return `there is no piece on ${from}`;
    if (piece >> 3 !== board.side) return `the piece on ${from} is not yours`;
    if (board.inCheck()) return `${from}-${to} does not get your king out of check`;
    return `${from}-${to} is not a legal move`;
  }
  const promoting = candidates.some((u) => u.length === 5);
  if (promoting && uci.length < 5) return `${from}-${to} promotes: add the piece, e.g. "${from}${to}q"`;
  if (!promoting && uci.length === 5) return `${from}-${to} is not a promotion`;
  return candidates.includes(uci) ? null : `${from}-${to} is not a legal move`;
}

/** chess.js plays the move (it is the rules' authority: it throws if it disagrees). */
function playOn(board: Chess, uci: string): ChessJsMove {
  return board.move({ from: uci.slice(0, 2), to: uci.slice(2, 4), ...(uci[4] ? { promotion: uci[4] } : {}) });
}

export const chess: GameEngine<ChessState, ChessMove> = {
  type: 'chess',
  meta: CHESS_META,
  moveSchema: ChessMove,

  /** Needs no chess.js: a game is created (and a replay starts) before the rules are loaded. */
  initialState() {
    return startState();
  },

  turn(state) {
    return state.turn;
  },

  legalMoves(state) {
    if (state.result) return [];
    return legalUci(state.fen).map((uci) => ({ uci }));
  },

  illegalReason(state, move) {
    if (state.result) return 'the game is over';
    const parsed = ChessMove.safeParse(move);
    if (!parsed.success) return 'move must be UCI like "e2e4" or "e7e8q"';
    return whyIllegal(state.fen, parsed.data.uci);
  },

  apply(state, move) {
    if (state.result) throw new IllegalMoveError('the game is over');
    const parsed = ChessMove.safeParse(move);
    if (!parsed.success) throw new IllegalMoveError('move must be UCI like "e2e4" or "e7e8q"');
    const board = newChess(state.fen);
    let found: ChessJsMove;
    try {
      found = playOn(board, parsed.data.uci);
    } catch {
      // chess.js refused it: say why in words a player can act on.
      throw new IllegalMoveError(whyIllegal(state.fen, parsed.data.uci) ?? 'not a legal move');
    }
    // The UCI must name the promotion piece exactly when the move promotes.
    const why = (parsed.data.uci.length === 5) !== Boolean(found.promotion) ? whyIllegal(state.fen, parsed.data.uci) : null;
    if (why) throw new IllegalMoveError(why);
    const fen = board.fen();
    const irreversible = found.piece === 'p' || found.captured !== undefined;
    const repetition = [...(irreversible ? [] : state.repetition), positionKey(fen)];
    return {
      fen,
      startFen: state.startFen,
      uci: [...state.uci, uciOf(found)],
      san: [...state.san, found.san],
      repetition,
      turn: seatOf(board.turn()),
      check: board.inCheck(),
      lastMove: { from: found.from, to: found.to },
      result: endingOf(board, fen, repetition),
    };
  },

  outcome(state) {
    return state.result ? { winner: state.result.winner, detail: CHESS_ENDING_DETAIL[state.result.ending] } : null;
  },

  publicView(state) {
    return state;
  },

  canStillWin(state, seat) {
    return typeof state.fen !== 'string' || canMateFen(state.fen, seat);
  },

  record: {
    name: 'PGN',
    mime: 'application/x-chess-pgn',
    extension: 'pgn',
    write: (state, { players: [white, black], ...tags }) => chessPgn(state, { ...tags, white, black }),
  },

  /** Standard algebraic notation, e.g. "Nf3", "exd5", "O-O", "e8=Q+". */
  describeMove(state, move) {
    try {
      return playOn(newChess(state.fen), move.uci).san;
    } catch {
      return move.uci;
    }
  },
};

export type PgnTags = Omit<RecordTags, 'players'> & { white: string; black: string };

/**
 * The game as PGN, parsed back by any chess program: the Seven Tag Roster (Site is the
 * game's address when known, as lichess writes it), SetUp/FEN for a custom start, the
 * tags of pgn-tags.ts, and each ply's reason as a comment after its move.
 */
export function chessPgn(state: ChessState, tags: PgnTags): string {
  const board = newChess(state.startFen);
  const result: GameResult | null = tags.result
    ?? (tags.winner !== undefined ? { winner: tags.winner, reason: tags.winner === null ? 'draw' : 'win' } : null)
    ?? (state.result ? { winner: state.result.winner, reason: state.result.winner === null ? 'draw' : 'win' } : null);
  board.setHeader('Event', tags.event ?? 'Monkeytown game');
  board.setHeader('Site', tags.url ?? tags.site ?? 'Monkeytown');
  board.setHeader('Date', pgnDate(tags.date ?? new Date(0)));
  board.setHeader('Round', '-');
  board.setHeader('White', tags.white);
  board.setHeader('Black', tags.black);
  board.setHeader('Result', pgnResult(result));
  if (state.startFen !== CHESS_START_FEN) {
    board.setHeader('SetUp', '1');
    board.setHeader('FEN', state.startFen);
  }
  for (const [name, value] of pgnExtraTags(tags, result)) board.setHeader(name, value);
  state.uci.forEach((uci, ply) => {
    playOn(board, uci);
    const comment = tags.comments?.[ply];
    if (comment) board.setComment(pgnComment(comment));
  });
  return board.pgn();
}
