import type { Seat } from '../../schemas/game-basics.js';
import { IllegalMoveError, type GameEngine } from '../types.js';
import { discCounts, flipsFor, hasLegalSquare, legalSquares, OTH_CELLS, parseSquare, squareName } from './board.js';
import { OTHELLO_META } from './meta.js';
import { OthelloMove } from './move.js';

/**
 * Othello (Reversi) on 8×8. Seat 0 is Black and moves first; the standard start has
 * White on d4 and e5, Black on d5 and e4.
 *
 * A side with no legal square PASSES, and the pass is an explicit move ({square: "pass"}),
 * legal only then. Why not an automatic pass hidden in the opponent's move: every generic
 * path already assumes "one move, one event, then the other side": the move list and the
 * replay show the pass as its own step ("pass"), spectators get a move event that says
 * so, the clock charges the side that passed and gives its increment, offers that stand
 * "until the next move" lapse, takebacks undo one ply, and the agent scheduler keys on the
 * engine's turn. The player who must pass sees one button and the reason; nobody is
 * surprised by the same colour moving twice. The game ends when neither side can move.
 */
export interface OthelloState {
  /** 64 cells, row-major from a1 at the top-left: owning seat or null. */
  cells: (Seat | null)[];
  turn: Seat;
  /** Plies played, passes included. */
  moves: number;
  /** The last move, for the board to mark it and animate its flips; square null = a pass. */
  last: { seat: Seat; square: number | null; flipped: number[] } | null;
  /** Discs per seat, [Black, White]. */
  discs: [number, number];
  result: { winner: Seat | null } | null;
}

export function othelloStart(): OthelloState {
  const cells = Array<Seat | null>(OTH_CELLS).fill(null);
  cells[parseSquare('d4')!] = 1;
  cells[parseSquare('e5')!] = 1;
  cells[parseSquare('d5')!] = 0;
  cells[parseSquare('e4')!] = 0;
  return { cells, turn: 0, moves: 0, last: null, discs: [2, 2], result: null };
}

/** The state after placing (or passing); no legality check. Ends the game when neither side can move. */
function play(state: OthelloState, square: number | null): OthelloState {
  const cells = state.cells.slice();
  const flipped = square === null ? [] : flipsFor(cells, square, state.turn);
  if (square !== null) {
    cells[square] = state.turn;
    for (const f of flipped) cells[f] = state.turn;
  }
  const next = (1 - state.turn) as Seat;
  const discs = discCounts(cells);
  const over = !hasLegalSquare(cells, next) && !hasLegalSquare(cells, state.turn);
  const winner: Seat | null = discs[0] > discs[1] ? 0 : discs[1] > discs[0] ? 1 : null;
  return {
    cells,
    turn: next,
    moves: state.moves + 1,
    last: { seat: state.turn, square, flipped },
    discs,
    result: over ? { winner } : null,
  };
}

export const othello: GameEngine<OthelloState, OthelloMove> = {
  type: 'othello',
  meta: OTHELLO_META,
  moveSchema: OthelloMove,

  initialState: othelloStart,

  turn(state) {
    return state.turn;
  },

  legalMoves(state) {
    if (state.result) return [];
    const squares = legalSquares(state.cells, state.turn);
    return squares.length === 0 ? [{ square: 'pass' }] : squares.map((sq) => ({ square: squareName(sq) }));
  },

  illegalReason(state, move) {
    if (state.result) return 'the game is over';
    const name = (move as { square?: unknown } | null)?.square;
    if (typeof name !== 'string') return 'move must name a square like "d3", or "pass"';
    const canPlay = hasLegalSquare(state.cells, state.turn);
    if (name === 'pass') return canPlay ? 'you can only pass when you have no legal move' : null;
    const sq = parseSquare(name);
    if (sq === null) return 'move must name a square like "d3", or "pass"';
    if (state.cells[sq] !== null) return `${name} is already taken`;
    if (flipsFor(state.cells, sq, state.turn).length === 0) return `${name} does not outflank any disc`;
    return null;
  },

  apply(state, move) {
    const why = othello.illegalReason(state, move);
    if (why) throw new IllegalMoveError(why);
    return play(state, move.square === 'pass' ? null : parseSquare(move.square));
  },

  outcome(state) {
    if (!state.result) return null;
    const [b, w] = state.discs;
    const score = `${Math.max(b, w)}–${Math.min(b, w)}`;
    return { winner: state.result.winner, detail: state.result.winner === null ? `equal discs (${score})` : `more discs (${score})` };
  },

  publicView(state) {
    return state;
  },

  /** Any disc can still be flipped: a flag always loses. */
  canStillWin: () => true,
  record: null,

  describeMove(_state, move) {
    return move.square;
  },
};
