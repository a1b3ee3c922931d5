'use client';
// Tic-tac-toe: nine buttons in a 3x3 grid. Arrow keys move between cells (roving tabindex),
// Enter/Space plays; cells that are legal right now are marked and announced. Files a–c
// run left to right above, ranks 1–3 top to bottom beside it: a1 is the top-left cell, as
// in the move list and the troop's reasons.
import type { TicTacToeState } from '@monkeytown/shared/games';
import { tttCellName } from '@monkeytown/shared/games';
import { SEAT_MARK } from './marks';
import { useRovingGrid } from './useRovingGrid';

export interface TicTacToeBoardProps {
  state: TicTacToeState;
  /** Cells the viewer may play now; empty when it is not their turn. */
  legalCells: readonly number[];
  onPlay?: (cell: number) => void;
  /** Cells of the winning line, highlighted. */
  winLine?: readonly number[] | undefined;
  lastCell?: number | null;
  /** A suggested cell (MentorOrangutan's hint), highlighted. */
  hintCell?: number | null;
  /** A queued premove's cell, highlighted. */
  premoveCell?: number | null;
  label?: string;
}

export function TicTacToeBoard({ state, legalCells, onPlay, winLine, lastCell, hintCell = null, premoveCell = null, label = 'Tic-tac-toe board' }: TicTacToeBoardProps) {
  const cell = useRovingGrid(3, 3, () => legalCells[0] ?? 4);
  const legal = new Set(legalCells);
  const win = new Set(winLine ?? []);

  return (
    <div className="coords coords-ttt">
      <span />
      <div className="coords-files" aria-hidden="true">
        {['a', 'b', 'c'].map((f) => (
          <span key={f} className="coords-label">
            {f}
          </span>
        ))}
      </div>
      <div className="coords-ranks" aria-hidden="true">
        {[1, 2, 3].map((r) => (
          <span key={r} className="coords-label">
            {r}
          </span>
        ))}
      </div>
      <div className="ttt" role="group" aria-label={label}>
        {state.cells.map((owner, i) => {
          const isLegal = legal.has(i);
          const name = tttCellName(i);
          const what = owner === null ? 'empty' : SEAT_MARK.tictactoe[owner];
          return (
            <button
              key={i}
              {...cell(i)}
              type="button"
              className="ttt-cell"
              data-cell={i}
              data-owner={owner ?? undefined}
              data-legal={isLegal || undefined}
              data-win={win.has(i) || undefined}
              data-last={lastCell === i || undefined}
              data-hint={hintCell === i || undefined}
              data-premove={premoveCell === i || undefined}
              aria-label={`${name}: ${what}${isLegal ? ', play here' : ''}${hintCell === i ? ' (hint)' : ''}${premoveCell === i ? ' (premove)' : ''}`}
              aria-disabled={!isLegal}
              onClick={() => {
                if (isLegal) onPlay?.(i);
              }}
            >
              <span aria-hidden="true" className="mark">
                {owner === null ? '' : SEAT_MARK.tictactoe[owner]}
              </span>
            </button>
          );
        })}
      </div>
    </div>
  );
}
