'use client';
// The board for a game type, from one map typed over GameType: a game in the shared list
// without a board here fails `tsc` (acceptance: a type in the API is playable everywhere).
// A new game's board is one line: `<type>: lazyBoard(() => import('./<Type>Board')),` where
// the board file's default export takes BoardProps<'<type>'> (the newest game's is one); it
// then loads only when a game of that type is shown (the server render waits for it, so the
// first paint still has the position).
import type { ComponentType } from 'react';
import type { StateOf } from '@monkeytown/shared/games';
import type { GameType, Seat } from '@monkeytown/shared/schemas';
import './premove.css';
import { ChessBoard } from './ChessBoard';
import { Connect4Board } from './Connect4Board';
import { TicTacToeBoard } from './TicTacToeBoard';
import { lazyBoard } from './lazy-board';
import type { BoardProps } from './types';

export type { BoardProps } from './types';

export const BOARDS: { readonly [K in GameType]: ComponentType<BoardProps<K>> } = {
  tictactoe: ({ state, legalMoves, onMove, winLine, lastMove, hintMove, premoveMove }) => (
    <TicTacToeBoard state={state} legalCells={legalMoves.map((m) => m.cell)} winLine={winLine} lastCell={lastMove?.cell ?? null} hintCell={hintMove?.cell ?? null} premoveCell={premoveMove?.cell ?? null} onPlay={(cell) => onMove?.({ cell })} />
  ),
  connect4: ({ state, legalMoves, onMove, winLine, hintMove, premoveMove }) => (
    <Connect4Board state={state} legalColumns={legalMoves.map((m) => m.column)} winLine={winLine} hintColumn={hintMove?.column ?? null} premoveColumn={premoveMove?.column ?? null} onPlay={(column) => onMove?.({ column })} />
  ),
  // Drawn from the state alone (no chess.js; the board is in the server render and the first
  // paint, issue 26): only the rules for moving load lazily.
  chess: ({ state, legalMoves, onMove, lastMove, hintMove, viewerSeat, premoveMove }) => (
    <ChessBoard state={state} legalMoves={legalMoves} onMove={onMove} lastMove={lastMove} hintMove={hintMove} viewerSeat={viewerSeat} premoveMove={premoveMove} />
  ),
  othello: lazyBoard(() => import('./OthelloBoard')),
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
  premoveMove?: unknown;
}

export function GameBoard({ type, state, ...rest }: GameBoardProps) {
  if (!state) return <div className="board-placeholder" role="img" aria-label="board loading" />;
  // The snapshot pairs `type` with its own state and moves; the map gives that game's board.
  const Board = BOARDS[type] as ComponentType<BoardProps<GameType>>;
  return <Board state={state as StateOf<GameType>} {...(rest as Omit<BoardProps<GameType>, 'state'>)} />;
}
