'use client';
// Step through a stored game: buttons, a slider, and the arrow keys (Home/End too).
import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { engineFor } from '@monkeytown/shared/games';
import { gameMeta } from '@monkeytown/shared/games/meta';
import type { GameEvent, GameSnapshot, ReviewResponse } from '@monkeytown/shared/schemas';
import { apiUrl } from '../../lib/api';
import { gameReducer, initialModel, type MoveEntry } from '../../lib/game-model';
import { moveRows, plyNumbers } from '../../lib/move-rows';
import { GameBoard } from '../boards/GameBoard';
import { MoveList } from '../MoveList';
import { PlayersPanel } from '../PlayersPanel';
import { RatingLine, resultText } from '../ResultBanner';
import { EngineGate } from './EngineGate';
import { ReviewPanel } from './review/ReviewPanel';

interface ReplayProps {
  game: GameSnapshot;
  events: GameEvent[];
  /** The post-game review as the server had it when the page was rendered (null: ask from the page). */
  review?: ReviewResponse | null;
  title: string;
}

export function Replay(props: ReplayProps) {
  return (
    <EngineGate type={props.game.type}>
      <ReplayView {...props} />
    </EngineGate>
  );
}

function ReplayView({ game, events, review, title }: ReplayProps) {
  const moves = useMemo(() => gameReducer(initialModel(game), { type: 'events', events }).moves, [game, events]);
  // step = number of moves applied (0 = empty board); start at the end.
  const [step, setStep] = useState(moves.length);
  const last = moves.length;
  const go = (n: number) => setStep(Math.max(0, Math.min(last, n)));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA')) return;
      if (e.key === 'ArrowLeft') setStep((s) => Math.max(0, s - 1));
      else if (e.key === 'ArrowRight') setStep((s) => Math.min(last, s + 1));
      else if (e.key === 'Home') setStep(0);
      else if (e.key === 'End') setStep(last);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [last]);

  const record = engineFor(game.type)?.record ?? null;
  const state = step === 0 ? (engineFor(game.type)?.initialState() ?? null) : moves[step - 1]!.state;
  const current = step === 0 ? null : moves[step - 1]!;
  const showLine = step === last ? game.result?.line : undefined;
  // The slider reads the same: its value counts plies, its spoken text is the move.
  const stepText = step === 0 ? 'Start position' : stepLine(game.type, moves, step);

  return (
    <div className="game-page replay" data-game-type={game.type}>
      <div className="page-head">
        <div>
          <h1>Replay · {title}</h1>
          <p className="lede">{game.status === 'finished' ? resultText(game, null) : 'This game is still going. '}{' '}
            <Link href={`/games/${game.id}`}>Open the game</Link>
          </p>
          {game.status === 'finished' && <p className="replay-rating"><RatingLine game={game} mySeat={null} /></p>}
          {record && (
            // The game's standard record (chess: PGN, read by any chess program); the server names the file.
            <a className="button pgn-download" href={apiUrl('games.pgn', { params: { id: game.id } })} download>
              <span aria-hidden="true">⬇</span> Download {record.name}
            </a>
          )}
        </div>
      </div>
      <div className="game-layout">
        <div className="board-col">
          <PlayersPanel game={{ ...game, status: 'finished' }} mySeat={null} clocks={false} />
          <p className="turn-status" role="status" aria-live="polite" data-testid="replay-step">
            {stepText}
          </p>
          {/* At the last move the board shows how the game ended, as the live page does. */}
          <div className="board-frame" data-end={step === last ? game.result?.reason : undefined} data-end-detail={step === last ? game.result?.detail : undefined}>
            <GameBoard type={game.type} state={state} legalMoves={[]} winLine={showLine} lastMove={current?.move} />
          </div>
          <div className="notice-slot">{current?.reason ? <q className="reason-text">{current.reason}</q> : null}</div>
          <div className="replay-controls" role="group" aria-label="Replay controls">
            <button type="button" onClick={() => go(0)} disabled={step === 0} aria-label="First move">⏮</button>
            <button type="button" onClick={() => go(step - 1)} disabled={step === 0} aria-label="Previous move">◀</button>
            <input type="range" min={0} max={last} value={step} onChange={(e) => go(Number(e.target.value))} aria-label="Move number" aria-valuetext={stepText} />
            <button type="button" onClick={() => go(step + 1)} disabled={step === last} aria-label="Next move">▶</button>
            <button type="button" onClick={() => go(last)} disabled={step === last} aria-label="Last move">⏭</button>
          </div>
        </div>
        <div className="side-col">
          <ReviewPanel game={game} initial={review ?? null} step={step} onSelect={go} />
          <MoveList moves={moves} players={game.players} current={step === 0 ? null : step - 1} onSelect={(i) => go(i + 1)} />
        </div>
      </div>
    </div>
  );
}

/**
 * The step line in the move list's own numbering: "4… Nf6 · Black · move 4 of 20" (chess
 * counts full moves, so the 8th ply is Black's 4th move, never "move 8").
 */
export function stepLine(type: string, moves: readonly MoveEntry[], step: number): string {
  const m = moves[step - 1]!;
  const seat = gameMeta(type)?.seats[m.seat] ?? `Seat ${m.seat + 1}`;
  const rows = moveRows(moves);
  const row = rows.findIndex((r) => r.plies.includes(step - 1));
  return `${plyNumbers(moves)[step - 1]} ${m.label} · ${seat} · move ${row + 1} of ${rows.length}`;
}
