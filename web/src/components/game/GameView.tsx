'use client';
// The live game page: board, players, monkey thoughts, moves, chat, result and actions.
import Link from 'next/link';
import { useState } from 'react';
import { commandAllowed } from '@monkeytown/shared/commands';
import type { GameSnapshot } from '@monkeytown/shared/schemas';
import { api, NETWORK_MESSAGE } from '../../lib/api';
import { displayState, myLegalMoves, seatOf, thinkingAgent } from '../../lib/game-model';
import { useConnectionState } from '../../lib/live-provider';
import { useRecovery } from '../../lib/use-recovery';
import { GameBoard } from '../boards/GameBoard';
import { ChatPanel } from '../ChatPanel';
import { ConnectionIndicator } from '../ConnectionIndicator';
import { MoveList } from '../MoveList';
import { PlayersPanel } from '../PlayersPanel';
import { ReasoningPanel } from '../ReasoningPanel';
import { ResultBanner } from '../ResultBanner';
import { SoundToggle } from '../SoundToggle';
import { EngineGate } from './EngineGate';
import { GameActions } from './GameActions';
import { HintButton, useHint } from './HintButton';
import { useGame } from './useGame';
import { useGameCues } from './useGameCues';
import { useGameTitle } from './useGameTitle';

const latestNotice = (notice: string | null) => notice === NETWORK_MESSAGE;

/** Waiting for a person: the seat is in the lobby, and the link can be sent to a friend. */
function CopyLink() {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={() => {
        void navigator.clipboard?.writeText(window.location.href).then(() => setCopied(true), () => setCopied(false));
      }}
    >
      <span aria-hidden="true">🔗</span> {copied ? 'Link copied' : 'Copy link for a friend'}
    </button>
  );
}

export function GameView(props: { initialGame: GameSnapshot; title: string }) {
  return (
    <EngineGate type={props.initialGame.type}>
      <LiveGame {...props} />
    </EngineGate>
  );
}

function LiveGame({ initialGame, title }: { initialGame: GameSnapshot; title: string }) {
  const { model, dispatch, play, catchUp, session } = useGame(initialGame);
  const conn = useConnectionState();
  const [confirmResign, setConfirmResign] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const g = model.game;
  const mySeat = seatOf(g, session?.playerId);
  const legal = myLegalMoves(model, mySeat);
  const thinking = thinkingAgent(model);
  const lastMove = model.pending?.move ?? model.moves[model.moves.length - 1]?.move;
  // What may be sent now is the shared lifecycle table's call (the server checks the same).
  const joinable = commandAllowed('join', g.status);
  const canJoin = joinable && session && mySeat === null;
  const mentor = g.players.some((p) => p.agentId === 'mentororangutan' && p.seat !== mySeat);
  const inPlay = commandAllowed('move', g.status);
  const myTurn = inPlay && mySeat !== null && g.turn === mySeat && !model.pending;
  const { hint, busy: hintBusy, ask: askHint } = useHint(g.type, g.state, g.moveCount);
  useGameTitle(g, mySeat, myTurn, title);
  useGameCues(model, mySeat);
  useRecovery({
    active: model.notice === NETWORK_MESSAGE || actionError === NETWORK_MESSAGE,
    conn: conn.state,
    probe: () => api.game(g.id),
    onBack: () => {
      if (latestNotice(model.notice)) dispatch({ type: 'notice', notice: null });
      setActionError((e) => (e === NETWORK_MESSAGE ? null : e));
      void catchUp();
    },
  });

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setActionError(null);
    try {
      await fn();
    } catch (err) {
      setActionError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const join = () =>
    run(async () => {
      if (!session) return;
      // The answer is the game after the join; its event arrives on the stream.
      const { game } = await api.join(g.id, session.token);
      dispatch({ type: 'snapshot', game });
    });

  const resign = () =>
    run(async () => {
      if (!session) return;
      const { game } = await api.resign(g.id, session.token);
      setConfirmResign(false);
      dispatch({ type: 'snapshot', game });
    });

  let status: string;
  if (g.status === 'open') status = mySeat !== null ? 'Waiting for an opponent to join…' : 'This game needs one more player.';
  else if (g.status === 'finished') status = 'Game over.';
  else if (model.pending) status = 'Sending your move…';
  else if (mySeat !== null && g.turn === mySeat) status = 'Your turn.';
  else {
    const p = g.players.find((x) => x.seat === g.turn);
    status = thinking ? `${p?.name ?? 'The agent'} is thinking…` : `${p?.name ?? 'Opponent'} to move.`;
  }

  return (
    <div className="game-page" data-game-type={g.type} data-status={g.status}>
      <div className="page-head">
        <div>
          <h1>{title}</h1>
          <p className="lede">
            {mySeat === null ? 'Watching' : 'Playing'}
            {/* Shown once presence is known, so "0 in the room" never flashes on load. */}
            <span data-testid="spectators">
              {model.spectators > 0 && (
                <>
                  {' · '}
                  <span aria-hidden="true">👀</span> {model.spectators} in the room
                </>
              )}
            </span>
          </p>
        </div>
        <div className="head-tools">
          <SoundToggle />
          <ConnectionIndicator state={conn.state} attempt={conn.attempt} />
        </div>
      </div>

      <div className="game-layout">
        <div className="board-col">
          <PlayersPanel game={g} mySeat={mySeat} />
          <p className="turn-status" role="status" aria-live="polite" data-testid="turn-status">
            {status}
          </p>
          <div className="board-frame" data-pending={model.pending ? true : undefined} data-end={g.result?.reason} data-end-detail={g.result?.detail}>
            <GameBoard type={g.type} state={displayState(model)} legalMoves={legal} onMove={(m) => void play(m)} winLine={g.result?.line} lastMove={lastMove} hintMove={myTurn ? hint?.move : undefined} viewerSeat={mySeat} />
          </div>
          <div className="notice-slot" aria-live="assertive">
            {myTurn && hint && (
              <p className="hint-text" role="status">
                <span aria-hidden="true">📚</span> {hint.text}
              </p>
            )}
            {model.notice && (
              <p className="error" role="alert">
                {model.notice}
              </p>
            )}
            {actionError && (
              <p className="error" role="alert">
                {actionError}
              </p>
            )}
          </div>
          <ResultBanner game={g} mySeat={mySeat}>
            <Link className="button" href={`/games/${g.id}/replay`}>
              Replay
            </Link>
            <Link className="button" href="/">
              Lobby
            </Link>
          </ResultBanner>
          {/* Abort, draw, takeback, claim and rematch: offers to the opponent (issue 12). */}
          <GameActions model={model} dispatch={dispatch} mySeat={mySeat} session={session ?? null} />
          <div className="game-actions">
            {mentor && myTurn && <HintButton busy={hintBusy} onAsk={() => void askHint()} />}
            {canJoin && (
              <button type="button" className="primary" disabled={busy} onClick={() => void join()}>
                Join this game
              </button>
            )}
            {joinable && !session && <Link href="/">Pick a name in the lobby to join.</Link>}
            {joinable && mySeat !== null && <CopyLink />}
            {/* Resigning an open game would cancel it: the button is for a game in play. */}
            {inPlay && commandAllowed('resign', g.status) && mySeat !== null && session && (
              confirmResign ? (
                <>
                  <span>Resign this game?</span>
                  <button type="button" className="danger" disabled={busy} onClick={() => void resign()}>
                    Yes, resign
                  </button>
                  <button type="button" onClick={() => setConfirmResign(false)}>
                    Keep playing
                  </button>
                </>
              ) : (
                <button type="button" onClick={() => setConfirmResign(true)}>
                  Resign
                </button>
              )
            )}
          </div>
        </div>
        <div className="side-col">
          <ReasoningPanel moves={model.moves} players={g.players} thinking={thinking} status={g.status} mySeat={mySeat} />
          <MoveList moves={model.moves} players={g.players} />
          <ChatPanel
            messages={model.chat}
            myPlayerId={session?.playerId ?? null}
            onSend={session ? async (text) => void (await api.chat(g.id, text, session.token)) : null}
            onReport={session ? async (playerId, seq) => void (await api.report(g.id, playerId, seq, session.token)) : null}
          />
        </div>
      </div>
    </div>
  );
}
