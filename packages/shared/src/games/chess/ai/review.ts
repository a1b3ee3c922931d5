// Chess's part of the post-game review (ai/review): a deeper search of every position than
// most monkeys play with, lines in SAN with move numbers, and slips in chess terms:
// "14. Nxe5? drops the knight: after 14… Qa5+ 15. c3 Qxe5 Black is a piece up."
import type { ChessMove } from '../move.js';
import type { ReviewKit, SlipContext } from '../../../ai/review/types.js';
import { Board, F_CAPTURE, moveFlags, moveTo, moveUci } from '../board.js';
import { chess, chessStateFromFen, type ChessState } from '../engine.js';
import { newChess } from '../rules.js';
import { material, PIECE_NAMES, VALUE } from './evaluate.js';
import { isMateScore, Searcher } from './search.js';

/**
 * Nodes per position: ChampionChimp's budget until the strength calibration gave it 300k
 * with a selective search. A review stays at 40k (~0.45 s a position here) to keep a
 * whole game's review affordable; it sees about as far as StrategistApe and beyond.
 */
export const REVIEW_NODES = 40_000;
const WEIGHTS = { mobility: 4, kingSafety: 1 };
/** Plies of a line shown in words. */
const LINE_PLIES = 4;

/** SAN with move numbers from `fen`: "14. Nxe5", "14… Qa5+", "15. c3". */
function numbered(fen: string, line: readonly ChessMove[]): string[] {
  const c = newChess(fen);
  const out: string[] = [];
  for (const m of line) {
    const [, side, , , , full] = c.fen().split(' ');
    let san: string;
    try {
      san = c.move({ from: m.uci.slice(0, 2), to: m.uci.slice(2, 4), ...(m.uci[4] ? { promotion: m.uci[4] } : {}) }).san;
    } catch {
      break;
    }
    out.push(side === 'w' ? `${full}. ${san}` : out.length === 0 ? `${full}… ${san}` : san);
  }
  return out;
}

const COLOUR = ['White', 'Black'] as const;

/** The search board with the game's repetition history (as index.ts's boardOf; not imported, to keep the modules acyclic). */
function boardOf(state: ChessState): Board {
  const b = Board.fromFen(state.fen);
  for (const key of state.repetition.slice(0, -1)) b.history.push(Board.fromFen(`${key} 0 1`).hashLo);
  return b;
}

/** "a piece", "a rook", ... for a material difference in centipawns. */
function amount(cp: number): string {
  if (cp >= 800) return 'a queen';
  if (cp >= 450) return 'a rook';
  if (cp >= 250) return 'a piece';
  if (cp >= 160) return 'two pawns';
  return 'a pawn';
}

/** Plays a line of {uci} moves on a board; the mover's pieces it captured, by value. */
function playLine(b: Board, line: readonly ChessMove[], mover: number): number[] {
  const lost: number[] = [];
  for (const m of line) {
    const move = b.legal().find((x) => moveUci(x) === m.uci);
    if (move === undefined) break;
    if (moveFlags(move) & F_CAPTURE && b.side !== mover) lost.push(b.sq[moveTo(move)]! & 7);
    b.make(move);
  }
  return lost;
}

function slip(c: SlipContext<ChessState, ChessMove>): string {
  const [played] = numbered(c.before.fen, [c.played]);
  const head = `${played ?? c.played.uci}${c.mark}`;
  const them = COLOUR[1 - c.mover]!;
  if (!c.reply) return `${head} ends the game without the win.`;
  const line = c.reply.line.slice(0, LINE_PLIES);
  const after = numbered(c.after.fen, line).join(' ');
  if (isMateScore(c.reply.score) && c.reply.score > 0) return `${head} allows mate: after ${after} ${them} mates.`;
  const b = Board.fromFen(c.before.fen);
  const balance = () => material(b, c.mover) - material(b, 1 - c.mover);
  const start = balance();
  const lost = playLine(b, [c.played, ...line], c.mover).sort((x, y) => VALUE[y]! - VALUE[x]!);
  const end = balance();
  const net = start - end;
  let harm = `gives ${them} the upper hand`;
  if (net >= 80) {
    const biggest = lost[0];
    harm = biggest && VALUE[biggest]! <= net + 100 ? `drops the ${PIECE_NAMES[biggest]}` : `loses ${amount(net)}`;
  }
  const diff = material(b, 0) - material(b, 1);
  const verdict = Math.abs(diff) < 80 ? 'material is level' : `${COLOUR[diff > 0 ? 0 : 1]} is ${amount(Math.abs(diff))} up`;
  return `${head} ${harm}: after ${after} ${verdict}.`;
}

export const chessReview: ReviewKit<ChessState, ChessMove> = {
  start: (final) => chessStateFromFen(final.startFen),
  analyse(state) {
    if (chess.outcome(state)) return null;
    const root = new Searcher(boardOf(state), WEIGHTS, REVIEW_NODES).searchRoot(64, 0);
    const best = root.scores[0];
    if (!best) return null;
    const line = (root.pv.length ? root.pv : [best.move]).map((m) => ({ uci: moveUci(m) }));
    return { score: best.score, best: { uci: moveUci(best.move) }, line };
  },
  /** lichess's fit of winning chances to centipawns; a mate found is a win. */
  expectation: (cp) => (isMateScore(cp) ? (cp > 0 ? 1 : 0) : 1 / (1 + Math.exp(-0.00368208 * cp))),
  lineMoves: (state, line) => numbered(state.fen, line.slice(0, LINE_PLIES)),
  lineJoin: ' ',
  slip,
  marks: true,
  method: `alpha-beta, ${REVIEW_NODES} nodes a position`,
};
