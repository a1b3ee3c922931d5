'use client';
// The lobby: name prompt on first visit, new-game picker (game + opponent), open seats to
// join and live games to watch, both kept current by the `lobby` topic.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import type { Agent, AgentId, GameSummary, GameType } from '@monkeytown/shared/schemas';
import { api, NETWORK_MESSAGE } from '../../lib/api';
import { useConnectionState, useLiveTopic } from '../../lib/live-provider';
import { useSession } from '../../lib/session';
import { useRecovery } from '../../lib/use-recovery';
import { NewestSummary } from '../../lib/newest-summary';
import { overlayLive, placeSummary, type LobbyLists } from '../../lib/lobby-lists';
import { ConnectionIndicator } from '../ConnectionIndicator';
import { NamePrompt } from '../NamePrompt';
import { GAME_BLURB, GAME_TITLES, PLAYABLE_TYPES } from './game-titles';
import { LiveGames, OpenGames, RecentGames } from './GameLists';
import { clockFor, TimeControlPicker, UNTIMED } from './TimeControlPicker';
import { TroopCardBody } from './TroopCard';

interface LobbyProps {
  initialAgents: Agent[];
  initialOpen: GameSummary[];
  initialActive: GameSummary[];
  initialFinished: GameSummary[];
  /** Preselections from the URL (?opponent=mentororangutan&type=connect4), e.g. from /troop. */
  initialOpponent?: string | undefined;
  initialType?: string | undefined;
  serverError: string | null;
}

export function Lobby({ initialAgents, initialOpen, initialActive, initialFinished, initialOpponent, initialType, serverError }: LobbyProps) {
  const router = useRouter();
  const { ready, session } = useSession();
  const conn = useConnectionState();
  const [agents, setAgents] = useState(initialAgents);
  const [open, setOpen] = useState(initialOpen);
  const [active, setActive] = useState(initialActive);
  const [finished, setFinished] = useState(initialFinished);
  const [type, setType] = useState<GameType>(() => (PLAYABLE_TYPES.find((t) => t === initialType) ?? PLAYABLE_TYPES[0]!));
  const [opponent, setOpponent] = useState<AgentId | 'open'>(
    () => (initialOpponent === 'open' ? 'open' : (initialAgents.find((a) => a.id === initialOpponent)?.id ?? 'mentororangutan')),
  );
  const [clock, setClock] = useState(UNTIMED);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(serverError);
  const [skipName, setSkipName] = useState(false);

  // A game's older summary arriving after a newer one must not undo it (lib/newest-summary.ts).
  const newest = useRef(new NewestSummary());

  // Live summaries that arrive while a reload's reads are in flight (one buffer per reload).
  const inFlight = useRef(new Set<GameSummary[]>());
  const setLists = (lists: LobbyLists) => {
    setOpen(lists.open);
    setActive(lists.active);
    setFinished(lists.finished);
  };
  const refresh = useCallback(async () => {
    const live: GameSummary[] = [];
    inFlight.current.add(live);
    try {
      const [a, o, l, f] = await Promise.all([api.agents(), api.listGames('open'), api.listGames('active'), api.listGames('finished', 10)]);
      newest.current.note([...o.games, ...l.games, ...f.games]);
      setAgents(a.agents);
      setLists(overlayLive({ open: o.games, active: l.games, finished: f.games }, live));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      inFlight.current.delete(live);
    }
  }, []);

  // Whenever the live connection (re)opens, reload the lists once: the lobby topic resumes
  // with sinceSeq, but a first connection or a replay buffer that no longer reaches back
  // starts from the lists.
  const connected = conn.state === 'open';
  useEffect(() => {
    if (connected) void refresh();
  }, [connected, refresh]);

  // A failed action's "cannot reach" banner goes once the server answers again.
  useRecovery({ active: error === NETWORK_MESSAGE, conn: conn.state, probe: () => api.agents(), onBack: () => void refresh() });

  useLiveTopic('lobby', {
    onEvent: (ev) => {
      const g = ev.data.game;
      if (newest.current.isStale(g)) return;
      for (const buffer of inFlight.current) buffer.push(g);
      setOpen((l) => placeSummary(l, g, 'open'));
      setActive((l) => placeSummary(l, g, 'active'));
      setFinished((l) => placeSummary(l, g, 'finished'));
    },
    // The replay buffer no longer reaches back: reload the lists.
    onResync: () => refresh(),
  });

  const start = async (e: FormEvent) => {
    e.preventDefault();
    if (!session) {
      setSkipName(false);
      return;
    }
    setBusy('new');
    setError(null);
    try {
      const settings = clockFor(type, clock);
      const { game } = await api.createGame(
        { type, opponent: opponent === 'open' ? { kind: 'open' } : { kind: 'agent', agentId: opponent }, ...(settings ? { clock: settings } : {}) },
        session.token,
      );
      router.push(`/games/${game.id}`);
    } catch (err) {
      setError((err as Error).message);
      setBusy(null);
    }
  };

  const join = async (g: GameSummary) => {
    if (!session) {
      setSkipName(false);
      return;
    }
    setBusy(g.id);
    setError(null);
    try {
      await api.join(g.id, session.token);
      router.push(`/games/${g.id}`);
    } catch (err) {
      setError((err as Error).message);
      setBusy(null);
      void refresh();
    }
  };

  return (
    <div className="lobby">
      <div className="page-head">
        <div>
          <h1>Pick a game, pick a monkey</h1>
          <p className="lede">Play live against people or the Monkeytown troop. Every move is saved for replay.</p>
        </div>
        <ConnectionIndicator state={conn.state} attempt={conn.attempt} />
      </div>

      {error && (
        <p className="error banner" role="alert">
          {error}
        </p>
      )}

      {/* A dialog over the lobby rather than a block inside it: appearing after hydration
          must not push the page down. */}
      {ready && !session && !skipName && (
        <div className="modal-backdrop">
          <NamePrompt onSkip={() => setSkipName(true)} />
        </div>
      )}

      <div className="lobby-grid">
        <form className="panel new-game" onSubmit={start} aria-labelledby="new-h">
          <h2 id="new-h">New game</h2>
          <fieldset className="choices game-choices">
            <legend>Game</legend>
            {PLAYABLE_TYPES.map((t) => {
              const playable = PLAYABLE_TYPES.includes(t);
              return (
                <label key={t} className="choice" data-disabled={!playable || undefined}>
                  <input type="radio" name="type" value={t} checked={type === t} disabled={!playable} onChange={() => setType(t)} />
                  <span className="choice-title">{GAME_TITLES[t]}</span>
                </label>
              );
            })}
          </fieldset>
          {/* The chosen game in a line, rather than a paragraph in every card: the cards stay one short row (Play above the fold). */}
          <p className="choice-note">{GAME_BLURB[type]}</p>
          <fieldset className="choices troop-choices">
            <legend>Opponent</legend>
            {agents.map((a) => (
              <label key={a.id} className="choice troop-card" data-agent={a.id}>
                <input type="radio" name="opponent" value={a.id} checked={opponent === a.id} onChange={() => setOpponent(a.id)} />
                <TroopCardBody agent={a} type={type} />
              </label>
            ))}
            <label className="choice troop-card" data-agent="open">
              <input type="radio" name="opponent" value="open" checked={opponent === 'open'} onChange={() => setOpponent('open')} />
              <span className="troop-emoji" aria-hidden="true">
                🧑‍🤝‍🧑
              </span>
              <span className="troop-name">A person</span>
              <span className="troop-style">Open a seat for anyone in the lobby</span>
            </label>
          </fieldset>
          <div className="form-actions">
            <TimeControlPicker type={type} value={clockFor(type, clock) ? clock : UNTIMED} onChange={setClock} />
            <button type="submit" className="primary big" disabled={busy !== null}>
              {busy === 'new' ? 'Setting up the board…' : opponent === 'open' ? 'Open a seat' : 'Play'}
            </button>
            {ready && !session && <span className="muted">Choose a name first.</span>}
          </div>
        </form>

        <div className="lobby-lists">
          <OpenGames games={open} myId={session?.playerId ?? null} onJoin={join} busyId={busy} />
          <LiveGames games={active} myId={session?.playerId ?? null} />
          <RecentGames games={finished} />
        </div>
      </div>
    </div>
  );
}
