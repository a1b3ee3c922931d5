import type { Chess } from 'chess.js';

/**
 * chess.js, loaded on first need rather than at import: a game-server starts, and a
 * tic-tac-toe page loads, without parsing ~110 KB of chess rules (issue 11, "the engine
 * loads lazily"). Everything that needs chess.js (applying a move, SAN, PGN, a FEN
 * other than the start) runs after `loadChessRules()` has resolved: the server and the
 * AI workers await it before their first chess move (`loadEngines()` in games/index.ts),
 * the web game page before it shows a chess game. Listing legal moves, checking a move
 * and the start position need only the fast board (board.ts) and work at any time.
 */
let ChessCtor: typeof Chess | null = null;
let loading: Promise<void> | null = null;

export function loadChessRules(): Promise<void> {
  return (loading ??= import('chess.js').then(
    (m) => {
      ChessCtor = m.Chess;
    },
    (err: unknown) => {
      loading = null; // a failed chunk load (web) may be retried
      throw err;
    },
  ));
}

export const chessRulesLoaded = (): boolean => ChessCtor !== null;

/** A chess.js board; throws if the rules were not loaded first (a wiring bug, not a user error). */
export function newChess(fen?: string): Chess {
  if (!ChessCtor) throw new Error('chess rules not loaded yet: await loadEngines() before playing chess');
  return new ChessCtor(fen);
}
