'use client';
// The board for a game type, from one map typed over GameType: a game in the shared list
// without a board here fails `tsc` (acceptance: a type in the API is playable everywhere).
// A new game's board is one line: `<type>: lazy(() => import('./<Type>Board')),` where the
// board file's default export takes BoardProps<'<type>'> (the newest game's is one); it then
// loads only when a game of that type is shown.
import { lazy, Suspense, type ComponentType } from 'react';
import type { StateOf } from '@monkeytown/shared/games';
import type { GameType, Seat } from '@monkeytown/shared/schemas';
import { Connect4Board } from './Connect4Board';
import { TicTacToeBoard } from './TicTacToeBoard';
import type { BoardProps } from './types';

export type { BoardProps } from './types';

// Chess's board loads only when a chess game is shown.
const ChessBoard = lazy(() => import('./ChessBoard').then((m) => ({ default: m.ChessBoard })));

export const BOARDS: { readonly [K in GameType]: ComponentType<BoardProps<K>> } = {
  tictactoe: ({ state, legalMoves, onMove, winLine, lastMove, hintMove }) => (
    <TicTacToeBoard state={state} legalCells={legalMoves.map((m) => m.cell)} winLine={winLine} lastCell={lastMove?.cell ?? null} hintCell={hintMove?.cell ?? null} onPlay={(cell) => onMove?.({ cell })} />
  ),
  connect4: ({ state, legalMoves, onMove, winLine, hintMove }) => (
    <Connect4Board state={state} legalColumns={legalMoves.map((m) => m.column)} winLine={winLine} hintColumn={hintMove?.column ?? null} onPlay={(column) => onMove?.({ column })} />
  ),
  chess: ({ state, legalMoves, onMove, lastMove, hintMove, viewerSeat }) => (
    <Suspense fallback={<div className="board-placeholder chess-placeholder" role="img" aria-label="Chess board loading" />}>
      <ChessBoard state={state} legalMoves={legalMoves} onMove={onMove} lastMove={lastMove} hintMove={hintMove} viewerSeat={viewerSeat} />
    </Suspense>
  ),
  othello: lazy(() => import('./OthelloBoard')),
};

export interface GameBoardProps {
  type: GameType;
  /** The engine's public state (unknown on the wire; it belongs to `type`). */
  state: unknown;
  legalMoves: readonly unknown[];
  onMove?: (move: unknown) => void;
  winLine?: readonly number[] | undefined;
  lastMove?: unknown;
  hintMove?: unknown;
  viewerSeat?: Seat | null;
}

export function GameBoard({ type, state, ...rest }: GameBoardProps) {
  if (!state) return <div className="board-placeholder" role="img" aria-label="board loading" />;
  // The snapshot pairs `type` with its own state and moves; the map gives that game's board.
  const Board = BOARDS[type] as ComponentType<BoardProps<GameType>>;
  return (
    <Suspense fallback={<div className="board-placeholder" role="img" aria-label="board loading" />}>
      <Board state={state as StateOf<GameType>} {...(rest as Omit<BoardProps<GameType>, 'state'>)} />
    </Suspense>
  );
}
