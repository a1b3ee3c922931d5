'use client';
// Connect four: each of the 7 columns is one button (drop a disc there). Arrow keys move
// between columns, Enter/Space drops; legal columns are marked, the last disc and a
// winning line are highlighted.
import { C4_COLS, C4_ROWS, c4Index, type Connect4State } from '@monkeytown/shared/games';
import { SEAT_MARK } from './marks';
import { useRovingGrid } from './useRovingGrid';

export interface Connect4BoardProps {
  state: Connect4State;
  legalColumns: readonly number[];
  onPlay?: (column: number) => void;
  winLine?: readonly number[] | undefined;
  /** A suggested column (MentorOrangutan's hint), highlighted. */
  hintColumn?: number | null;
  /** A queued premove's column, highlighted. */
  premoveColumn?: number | null;
  label?: string;
}

export function Connect4Board({ state, legalColumns, onPlay, winLine, hintColumn = null, premoveColumn = null, label = 'Connect four board' }: Connect4BoardProps) {
  const column = useRovingGrid(1, C4_COLS, () => legalColumns[Math.floor(legalColumns.length / 2)] ?? 3, { homeEnd: true });
  const legal = new Set(legalColumns);
  const win = new Set(winLine ?? []);
  // The last disc sits on top of the last column played.
  const lastIdx =
    state.lastColumn === null ? -1 : c4Index(C4_ROWS - (state.heights[state.lastColumn] ?? 0), state.lastColumn);

  return (
    <div className="coords coords-c4">
      <div className="c4" role="group" aria-label={label}>
        {Array.from({ length: C4_COLS }, (_, col) => {
          const isLegal = legal.has(col);
          const free = C4_ROWS - (state.heights[col] ?? 0);
          return (
            <button
              key={col}
              {...column(col)}
              type="button"
              className="c4-col"
              data-col={col}
              data-legal={isLegal || undefined}
              data-hint={hintColumn === col || undefined}
              data-premove={premoveColumn === col || undefined}
              aria-label={`Column ${col + 1}: ${free} free${isLegal ? ', drop here' : ''}${hintColumn === col ? ' (hint)' : ''}${premoveColumn === col ? ' (premove)' : ''}`}
              aria-disabled={!isLegal}
              onClick={() => {
                if (isLegal) onPlay?.(col);
              }}
            >
              {Array.from({ length: C4_ROWS }, (_, row) => {
                const i = c4Index(row, col);
                const landing = isLegal && row === free - 1;
                const owner = state.cells[i] ?? null;
                return (
                  <span
                    key={row}
                    className="c4-slot"
                    data-owner={owner ?? undefined}
                    data-win={win.has(i) || undefined}
                    data-last={i === lastIdx || undefined}
                    data-landing={landing || undefined}
                    aria-hidden="true"
                    title={owner === null ? undefined : SEAT_MARK.connect4[owner]}
                  />
                );
              })}
            </button>
          );
        })}
      </div>
      {/* Column numbers as the move list and the troop's reasons name them ("column 4"). */}
      <div className="coords-cols" aria-hidden="true">
        {Array.from({ length: C4_COLS }, (_, col) => (
          <span key={col} className="coords-label">
            {col + 1}
          </span>
        ))}
      </div>
    </div>
  );
}
