'use client';
// The live game page (issue 26: everything a player needs beside the board). One grid,
// arranged by CSS (app/game-page.css): on a desktop the board with one column beside it
// (the opponent's strip and clock on top, the moves, the offers / result / actions, the
// viewer's strip and clock at the bottom); on a phone a strip above and below the board,
// the actions and a one-line move list under it. Chat and the monkeys' reasons follow.
// The first paint shows the position and the moves from the server render: the board
// draws from the snapshot's state, only moving waits for the game's rules (lazy for chess).
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { commandAllowed } from '@monkeytown/shared/commands';
import { engineFor, loadEngine } from '@monkeytown/shared/games';
import type { GameEvent, GameSnapshot, Seat } from '@monkeytown/shared/schemas';
import { api, NETWORK_MESSAGE } from '../../lib/api';
import { displayState, myLegalMoves, seatOf, thinkingAgent } from '../../lib/game-model';
import { useConnectionState } from '../../lib/live-provider';
import { plyNumbers } from '../../lib/move-rows';
import { shortName } from '../../lib/names';
import { useEngineReady } from '../../lib/use-engine-ready';
import { useRecovery } from '../../lib/use-recovery';
import { GameBoard } from '../boards/GameBoard';
import { ChatPanel } from '../ChatPanel';
import { ConnectionIndicator } from '../ConnectionIndicator';
import { MoveList } from '../MoveList';
import { PlayersPanel } from '../PlayersPanel';
import { ReasoningPanel } from '../ReasoningPanel';
import { ResultBanner } from '../ResultBanner';
import { SoundToggle } from '../SoundToggle';
import { GameActions } from './GameActions';
import { useHint } from './HintButton';
import { MoveNav, useMoveView } from './MoveNav';
import { PlayerControls } from './PlayerControls';
import { useGame } from './useGame';
import { useGameCues } from './useGameCues';
import { useReviewRequest } from './review/useReviewRequest';
import { useGamePremove } from './useGamePremove';
import { PremoveNote } from './PremoveNote';
import { useGameTitle } from './useGameTitle';

const latestNotice = (notice: string | null) => notice === NETWORK_MESSAGE;

export interface GameViewProps {
  initialGame: GameSnapshot;
  /** The game's events read with the snapshot by the server render. */
  initialEvents?: readonly GameEvent[];
  title: string;
}

export function GameView({ initialGame, initialEvents = [], title }: GameViewProps) {
  const ready = useEngineReady(initialGame.type);
  const { model, dispatch, play, waiting, catchUp, session } = useGame(initialGame, initialEvents);
  const conn = useConnectionState();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const g = model.game;
  const mySeat = seatOf(g, session?.playerId);
  const nav = useMoveView(model.moves.length);
  // Legal moves need no lazily loaded rules (chess lists them with its fast board); the
  // move itself (its optimistic position) does: a move made before chess.js arrived waits
  // for it. Only the live position can be moved from.
  const legal = nav.view === null ? myLegalMoves(model, mySeat) : [];
  const move = (m: unknown) =>
    void loadEngine(g.type).then(
      () => play(m),
      () => dispatch({ type: 'notice', notice: 'The rules of this game could not be loaded. Reload the page.' }),
    );
  const thinking = thinkingAgent(model);
  const mentor = g.players.some((p) => p.agentId === 'mentororangutan' && p.seat !== mySeat);
  const inPlay = commandAllowed('move', g.status);
  const myTurn = inPlay && mySeat !== null && g.turn === mySeat && !model.pending;
  const { hint, busy: hintBusy, ask: askHint } = useHint(g.type, g.state, g.moveCount);
  const pre = useGamePremove({ model, mySeat, dispatch, play });
  useGameTitle(g, mySeat, myTurn, title);
  useGameCues(model, mySeat);
  useReviewRequest(g, mySeat !== null);
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

  const run = async (fn: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setActionError(null);
    try {
      await fn();
      return true;
    } catch (err) {
      setActionError((err as Error).message);
      return false;
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
      dispatch({ type: 'snapshot', game });
    });

  // The position on the board: the live one, or an earlier one being looked at.
  const viewed = nav.view === null ? null : nav.view === 0 ? null : model.moves[nav.view - 1]!;
  const boardState = nav.view === null ? displayState(model) : (viewed?.state ?? engineFor(g.type)?.initialState() ?? null);
  const lastMove = nav.view === null ? (model.pending?.move ?? model.moves[model.moves.length - 1]?.move) : viewed?.move;
  const numbers = plyNumbers(model.moves);
  const viewLabel = viewed && nav.view !== null ? `${numbers[nav.view - 1]} ${viewed.label}` : null;
  // Names in chat without a disambiguation tag nobody here needs (lib/names.ts).
  const chat = useMemo(() => {
    const names = [...g.players.map((p) => p.name), ...model.chat.map((c) => c.name)];
    return model.chat.map((c) => ({ ...c, name: shortName(c.name, names) }));
  }, [model.chat, g.players]);

  let status: string;
  if (g.status === 'open') status = mySeat !== null ? 'Waiting for an opponent to join…' : 'This game needs one more player.';
  else if (g.status === 'finished') status = 'Game over.';
  else if (model.pending) status = waiting ? 'Waiting for the connection to send your move…' : 'Sending your move…';
  else if (mySeat !== null && g.turn === mySeat) status = 'Your turn.';
  else {
    const p = g.players.find((x) => x.seat === g.turn);
    status = thinking ? `${p?.name ?? 'The agent'} is thinking…` : `${p?.name ?? 'Opponent'} to move.`;
  }
  const bottom: Seat = mySeat ?? 0;

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
      {ready === 'failed' && (
        <p className="error" role="alert">
          The rules of this game could not be loaded. <button type="button" onClick={() => window.location.reload()}>Reload</button>
        </p>
      )}

      <div className="live-layout" onKeyDown={nav.onKeyDown}>
        <PlayersPanel game={g} mySeat={mySeat} bottom={bottom} />
        <p className="turn-status" role="status" aria-live="polite" data-testid="turn-status">
          {status}
        </p>
        <div className="board-frame" data-pending={model.pending ? true : undefined} data-viewing={nav.view !== null || undefined} data-end={g.result?.reason} data-end-detail={g.result?.detail} {...(nav.view === null ? pre.frameProps : {})}>
          <GameBoard
            type={g.type} state={boardState} legalMoves={legal.length || nav.view !== null ? legal : pre.candidates}
            onMove={(m) => (myTurn ? move(m) : pre.queue(m))} winLine={nav.view === null ? g.result?.line : undefined} lastMove={lastMove}
            hintMove={myTurn && nav.view === null ? hint?.move : undefined} viewerSeat={mySeat} premoveMove={nav.view === null ? (pre.queued ?? undefined) : undefined}
          />
        </div>
        <div className="notice-slot" aria-live="assertive">
          {pre.label && <PremoveNote label={pre.label} onCancel={pre.cancel} />}
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
        <MoveList moves={model.moves} players={g.players} loading={g.moveCount > 0} current={nav.view === null ? null : nav.view - 1} onSelect={(i) => nav.go(i + 1)}>
          <MoveNav nav={nav} total={model.moves.length} label={viewLabel} />
        </MoveList>
        <div className="game-controls">
          <ResultBanner game={g} mySeat={mySeat}>
            <Link className="button" href={`/games/${g.id}/replay`}>
              Replay
            </Link>
            <Link className="button" href="/">
              Lobby
            </Link>
          </ResultBanner>
          {/* Abort, draw, takeback, claim and rematch: offers to the opponent (issue 12). */}
          <GameActions model={model} dispatch={dispatch} mySeat={mySeat} session={session ?? null}>
            <PlayerControls game={g} mySeat={mySeat} session={session ?? null} busy={busy} hintable={mentor && myTurn} hintBusy={hintBusy} onHint={() => void askHint()} onJoin={() => void join()} onResign={resign} />
          </GameActions>
        </div>
        <div className="game-more">
          <ReasoningPanel moves={model.moves} players={g.players} thinking={thinking} status={g.status} mySeat={mySeat} />
          <ChatPanel
            messages={chat}
            myPlayerId={session?.playerId ?? null}
            onSend={session ? async (text) => void (await api.chat(g.id, text, session.token)) : null}
            onReport={session ? async (playerId, seq) => void (await api.report(g.id, playerId, seq, session.token)) : null}
          />
        </div>
      </div>
    </div>
  );
}
