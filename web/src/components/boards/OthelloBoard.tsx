'use client';
// Othello: 64 buttons in an 8×8 grid (one tab stop; arrows, Home/End move, Enter/Space or a
// tap plays). Legal squares carry a small dot, the last disc a ring, and the discs it
// flipped turn over (a CSS animation that reduced motion switches off). A pass is a move
// like any other (see the engine): the side that must pass gets one clear button, and
// everyone, spectators and replays included, reads who passed in the status line.
import { OTH_SIZE, OTHELLO_META, squareName, type OthelloState } from '@monkeytown/shared/games/othello';
import type othelloGame from '@monkeytown/shared/games/othello';
import type { BoardProps } from './types';
import { useRovingGrid } from './useRovingGrid';
import './OthelloBoard.css';

const SEATS = OTHELLO_META.seats;
const FILES = 'abcdefgh'.split('');

export interface OthelloBoardProps {
  state: OthelloState;
  /** Squares the viewer may play now ("d3"), or ["pass"]; empty when it is not their turn. */
  legalSquares: readonly string[];
  onPlay?: (square: string) => void;
  /** A suggested square (MentorOrangutan's hint), highlighted. */
  hintSquare?: string | null;
  /** A queued premove's square, highlighted. */
  premoveSquare?: string | null;
  label?: string;
}

/** What happened last, in words for everyone (and a screen reader's live region). */
function lastMoveText(state: OthelloState): string {
  const l = state.last;
  if (!l) return `${SEATS[0]} to move`;
  if (l.square === null) return `${SEATS[l.seat]} had no move and passed`;
  const n = l.flipped.length;
  return `${SEATS[l.seat]} played ${squareName(l.square)}, flipping ${n} disc${n === 1 ? '' : 's'}`;
}

export function OthelloBoard({ state, legalSquares, onPlay, hintSquare = null, premoveSquare = null, label = 'Othello board' }: OthelloBoardProps) {
  const legal = new Set(legalSquares);
  const mustPass = legal.has('pass');
  const square = useRovingGrid(
    OTH_SIZE,
    OTH_SIZE,
    () => {
      const first = legalSquares.find((s) => s !== 'pass');
      return first ? FILES.indexOf(first[0]!) + (Number(first[1]) - 1) * OTH_SIZE : 19;
    },
    { homeEnd: true },
  );
  const flipped = new Set(state.last?.flipped ?? []);
  const lastSq = state.last?.square ?? null;

  return (
    <div className="oth-wrap">
      <div className="coords coords-oth">
        <span />
        <div className="coords-files oth-files" aria-hidden="true">
          {FILES.map((f) => (
            <span key={f} className="coords-label">
              {f}
            </span>
          ))}
        </div>
        <div className="coords-ranks oth-ranks" aria-hidden="true">
          {FILES.map((_, r) => (
            <span key={r} className="coords-label">
              {r + 1}
            </span>
          ))}
        </div>
        <div className="oth" role="group" aria-label={label}>
          {state.cells.map((owner, i) => {
            const name = squareName(i);
            const isLegal = legal.has(name);
            const what = owner === null ? 'empty' : SEATS[owner];
            const wasFlipped = flipped.has(i);
            return (
              <button
                key={i}
                {...square(i)}
                type="button"
                className="oth-sq"
                data-sq={name}
                data-owner={owner ?? undefined}
                data-legal={isLegal || undefined}
                data-last={lastSq === i || undefined}
                data-flipped={wasFlipped || undefined}
                data-hint={hintSquare === name || undefined}
                data-premove={premoveSquare === name || undefined}
                aria-label={`${name}: ${what}${wasFlipped ? ' (just flipped)' : ''}${lastSq === i ? ' (last move)' : ''}${isLegal ? ', play here' : ''}${hintSquare === name ? ' (hint)' : ''}${premoveSquare === name ? ' (premove)' : ''}`}
                aria-disabled={!isLegal}
                onClick={() => {
                  if (isLegal) onPlay?.(name);
                }}
              >
                {/* Keyed by move so a disc flipped again turns over again. */}
                {owner !== null && <span key={wasFlipped ? `f${state.moves}` : 'd'} className="oth-disc" aria-hidden="true" />}
              </button>
            );
          })}
        </div>
      </div>
      <p className="oth-status" aria-live="polite">
        <span className="oth-count">
          {SEATS[0]} {state.discs[0]} · {SEATS[1]} {state.discs[1]}
        </span>{' '}
        <span data-pass={state.last?.square === null || undefined}>{lastMoveText(state)}</span>
      </p>
      {mustPass && onPlay && (
        <button
          type="button"
          className="oth-pass"
          onClick={() => {
            // The button goes away with the pass: hand the focus to the board's tab stop, or a
            // keyboard player is dropped to the top of the page.
            square.focusTabStop();
            onPlay('pass');
          }}
        >
          No square outflanks a disc: pass
        </button>
      )}
    </div>
  );
}

/** The board as GameBoard's map loads it (`lazyBoard(() => import('./OthelloBoard'))`): the game's moves in, moves out. */
export default function OthelloGameBoard({ state, legalMoves, onMove, hintMove, premoveMove }: BoardProps<typeof othelloGame.type>) {
  return (
    <OthelloBoard
      state={state} legalSquares={legalMoves.map((m) => m.square)} hintSquare={hintMove?.square ?? null}
      premoveSquare={premoveMove?.square ?? null} onPlay={(square) => onMove?.({ square })}
    />
  );
}
