'use client';
// Chess: 64 buttons. Click a piece then a target, or drag it; arrow keys move the focus
// (roving tabindex) and Enter/Space picks up and puts down, so it plays by keyboard alone.
// Legal targets get dots; the last move, a check and a hint are highlighted; promotions
// ask which piece; the board flips and shows its coordinates.
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { ChessState } from '@monkeytown/shared/games';
import type { Seat } from '@monkeytown/shared/schemas';
import type { ChessMove } from '@monkeytown/shared/games/chess';

export interface ChessBoardProps {
  state: ChessState;
  legalMoves: readonly ChessMove[];
  onMove?: ((move: ChessMove) => void) | undefined;
  lastMove?: ChessMove | undefined;
  hintMove?: ChessMove | undefined;
  /** Whose side is at the bottom by default (the viewer's seat; White for spectators). */
  viewerSeat?: Seat | null | undefined;
  /** A queued premove (from and to squares highlighted). */
  premoveMove?: ChessMove | undefined;
}

const FILES = 'abcdefgh';
const GLYPH: Record<string, string> = { k: '♚', q: '♛', r: '♜', b: '♝', n: '♞', p: '♟' };
const NAME: Record<string, string> = { k: 'king', q: 'queen', r: 'rook', b: 'bishop', n: 'knight', p: 'pawn' };
const PROMOTIONS = [['q', 'Queen'], ['r', 'Rook'], ['b', 'Bishop'], ['n', 'Knight']] as const;

/** Square name → piece letter (upper case = White), from the FEN's placement field. */
function placement(fen: string): Map<string, string> {
  const out = new Map<string, string>();
  (fen.split(' ')[0] ?? '').split('/').forEach((row, r) => {
    let f = 0;
    for (const ch of row) {
      if (/\d/.test(ch)) f += Number(ch);
      else out.set(`${FILES[f++]}${8 - r}`, ch);
    }
  });
  return out;
}

export function ChessBoard({ state, legalMoves, onMove, lastMove, hintMove, viewerSeat, premoveMove }: ChessBoardProps) {
  // The viewer's side at the bottom (known only after the session loads: not in the server
  // render), turned round by the Flip button.
  const [turned, setTurned] = useState(false);
  const flipped = (viewerSeat === 1) !== turned;
  const [selected, setSelected] = useState<string | null>(null);
  const [promo, setPromo] = useState<{ from: string; to: string } | null>(null);
  const [focus, setFocus] = useState('e2');
  const [dragFrom, setDragFrom] = useState<string | null>(null);
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const pieces = placement(state.fen);
  const moves = legalMoves.map((m) => m.uci);
  const targets = new Set(selected ? moves.filter((u) => u.startsWith(selected)).map((u) => u.slice(2, 4)) : []);
  const movable = new Set(moves.map((u) => u.slice(0, 2)));
  const last = lastMove?.uci ?? (state.lastMove ? state.lastMove.from + state.lastMove.to : null);
  const toMove = state.turn === 0 ? 'K' : 'k';
  const checkSq = state.check ? [...pieces].find(([, p]) => p === toMove)?.[0] : undefined;

  // A new position (a move was made, by anyone) drops a stale selection.
  useEffect(() => {
    setSelected(null);
    setPromo(null);
  }, [state.fen]);

  const rows = flipped ? [1, 2, 3, 4, 5, 6, 7, 8] : [8, 7, 6, 5, 4, 3, 2, 1];
  const cols = flipped ? [...FILES].reverse() : [...FILES];

  const tryMove = (from: string, to: string) => {
    const options = moves.filter((u) => u.startsWith(from + to));
    if (options.length === 0) return false;
    if (options.length > 1) setPromo({ from, to });
    else onMove?.({ uci: options[0]! });
    setSelected(null);
    return true;
  };
  const activate = (sq: string) => {
    if (selected && tryMove(selected, sq)) return;
    setSelected(movable.has(sq) && selected !== sq ? sq : null);
  };

  const onKey = (e: KeyboardEvent, sq: string) => {
    const f = cols.indexOf(sq[0]!);
    const r = rows.indexOf(Number(sq[1]));
    const step: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const d = step[e.key];
    if (d) {
      e.preventDefault();
      const to = `${cols[(f + d[0] + 8) % 8]}${rows[(r + d[1] + 8) % 8]}`;
      setFocus(to);
      refs.current.get(to)?.focus();
    } else if (e.key === 'Escape') setSelected(null);
  };

  // Drag: pointer down on a movable piece, up over another square (mouse, pen, touch).
  // Released on the same square it is a click, which the click handler deals with.
  const onPointerDown = (e: PointerEvent, sq: string) => {
    if (movable.has(sq) && e.button === 0) setDragFrom(sq);
  };
  const onPointerUp = (e: PointerEvent) => {
    if (!dragFrom) return;
    // Touch captures the pointer on the start square: ask what is under the finger.
    const under = typeof document.elementFromPoint === 'function' ? document.elementFromPoint(e.clientX, e.clientY) : (e.target as Element);
    const el = under?.closest<HTMLElement>('[data-square]');
    const to = el?.dataset.square;
    if (to && to !== dragFrom) tryMove(dragFrom, to);
    setDragFrom(null);
  };

  return (
    <div className="chess-wrap">
      <div className="chess-frame">
      <div className="chess-board" role="group" aria-label="Chess board" aria-describedby="chess-help" onPointerUp={onPointerUp} onPointerLeave={() => setDragFrom(null)} data-flipped={flipped || undefined}>
        {rows.map((rank) =>
          cols.map((file) => {
            const sq = `${file}${rank}`;
            const p = pieces.get(sq);
            const white = p !== undefined && p === p.toUpperCase();
            const what = p ? `${white ? 'white' : 'black'} ${NAME[p.toLowerCase()]}` : 'empty';
            const isTarget = targets.has(sq);
            const dark = (FILES.indexOf(file) + rank) % 2 === 0;
            return (
              <button
                key={sq}
                ref={(el) => {
                  if (el) refs.current.set(sq, el);
                  else refs.current.delete(sq);
                }}
                type="button"
                className="chess-sq"
                data-square={sq}
                data-dark={dark || undefined}
                data-piece={p ?? undefined}
                data-target={isTarget || undefined}
                data-selected={selected === sq || dragFrom === sq || undefined}
                data-last={(last && (last.startsWith(sq) || last.slice(2, 4) === sq)) || undefined}
                data-check={checkSq === sq || undefined}
                data-hint={(hintMove && (hintMove.uci.startsWith(sq) || hintMove.uci.slice(2, 4) === sq)) || undefined}
                data-premove={(premoveMove && (premoveMove.uci.startsWith(sq) || premoveMove.uci.slice(2, 4) === sq)) || undefined}
                tabIndex={sq === focus ? 0 : -1}
                aria-label={`${sq}, ${what}${selected === sq ? ', selected' : ''}${isTarget ? (p ? ', capture here' : ', move here') : ''}${checkSq === sq ? ', in check' : ''}`}
                aria-pressed={movable.has(sq) ? selected === sq : undefined}
                onFocus={() => setFocus(sq)}
                onKeyDown={(e) => onKey(e, sq)}
                onClick={() => activate(sq)}
                onPointerDown={(e) => onPointerDown(e, sq)}
              >
                {p && (
                  <span className="chess-piece" data-white={white || undefined} aria-hidden="true">
                    {GLYPH[p.toLowerCase()]}
                    {'\uFE0E'}
                  </span>
                )}
              </button>
            );
          }),
        )}
      </div>
      {/* Coordinates sit in an overlay, not in the squares: each square's name is its label. */}
      <div className="chess-coords" aria-hidden="true">
        {rows.map((rank) =>
          cols.map((file) => (
            <span key={`${file}${rank}`} data-dark={(FILES.indexOf(file) + rank) % 2 === 0 || undefined}>
              {file === cols[0] && <span className="chess-rank">{rank}</span>}
              {rank === rows[7] && <span className="chess-file">{file}</span>}
            </span>
          )),
        )}
      </div>
      </div>
      <p id="chess-help" className="sr-only">
        Arrow keys move between squares; Enter or Space picks up a piece and puts it down on a highlighted square; Escape cancels.
      </p>
      {promo && (
        <div className="chess-promo" role="dialog" aria-label="Promote the pawn to">
          <span>Promote to</span>
          {PROMOTIONS.map(([letter, label]) => (
            <button key={letter} type="button" data-promo={letter} onClick={() => {
              onMove?.({ uci: `${promo.from}${promo.to}${letter}` });
              setPromo(null);
            }} autoFocus={letter === 'q'}>
              <span aria-hidden="true">{GLYPH[letter]}</span> {label}
            </button>
          ))}
          <button type="button" onClick={() => setPromo(null)}>Cancel</button>
        </div>
      )}
      <div className="chess-tools">
        <button type="button" onClick={() => setTurned((f) => !f)} aria-pressed={flipped}>
          <span aria-hidden="true">⇅</span> Flip board
        </button>
        {state.san.length > 0 && (
          <span className="chess-last" aria-live="polite">Last move: {state.san.at(-1)}</span>
        )}
      </div>
    </div>
  );
}
