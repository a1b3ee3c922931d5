'use client';
// Picks the board for a game type. Unknown types (chess before its engine lands) get a
// placeholder of the same footprint so the page does not jump.
import type { Connect4State, TicTacToeState } from '@monkeytown/shared/games';
import { Connect4Board } from './Connect4Board';
import { TicTacToeBoard } from './TicTacToeBoard';

export interface GameBoardProps {
  type: string;
  state: unknown;
  /** Legal moves for the viewer now, in the game's move shape. */
  legalMoves: readonly unknown[];
  onMove?: (move: unknown) => void;
  winLine?: readonly number[] | undefined;
  lastMove?: unknown;
  /** A suggested move to highlight, in the game's move shape. */
  hintMove?: unknown;
}

export function GameBoard({ type, state, legalMoves, onMove, winLine, lastMove, hintMove }: GameBoardProps) {
  if (type === 'tictactoe' && state) {
    const cells = legalMoves.map((m) => (m as { cell: number }).cell);
    const last = (lastMove as { cell?: number } | undefined)?.cell ?? null;
    return (
      <TicTacToeBoard state={state as TicTacToeState} legalCells={cells} winLine={winLine} lastCell={last} hintCell={(hintMove as { cell?: number } | undefined)?.cell ?? null} onPlay={(cell) => onMove?.({ cell })} />
    );
  }
  if (type === 'connect4' && state) {
    const cols = legalMoves.map((m) => (m as { column: number }).column);
    return <Connect4Board state={state as Connect4State} legalColumns={cols} winLine={winLine} hintColumn={(hintMove as { column?: number } | undefined)?.column ?? null} onPlay={(column) => onMove?.({ column })} />;
  }
  return (
    <div className="board-placeholder" role="img" aria-label={`${type} board`}>
      <p>This game&apos;s board is not available yet.</p>
    </div>
  );
}
