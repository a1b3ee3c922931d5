'use client';
// Open games (join a person), live games (watch) and just-finished ones (replay). A row
// shows the game type on a small line above the players, whose names may wrap rather
// than be cut; lists have a minimum height so live updates do not shove the page around.
import Link from 'next/link';
import { useEffect, useState, type ReactNode } from 'react';
import type { GameSummary } from '@monkeytown/shared/schemas';
import { RatingText } from '../RatingText';
import { GAME_TITLES } from './game-titles';
import { clockLabel, spokenControl } from './TimeControlPicker';

function who(g: GameSummary): string {
  const names = [0, 1].map((s) => {
    const p = g.players.find((x) => x.seat === s);
    return p ? `${p.emoji ? p.emoji + ' ' : ''}${p.name}` : '…';
  });
  return `${names[0]} vs ${names[1]}`;
}

function Row({ g, children, action }: { g: GameSummary; children: ReactNode; action: ReactNode }) {
  return (
    <li className="game-row">
      <span className="game-info">
        <span className="game-type">
          {GAME_TITLES[g.type] ?? g.type}
          {g.clock ? (
            <span className="game-clock" title={spokenControl(g.clock)}>
              {' · '}
              <span aria-hidden="true">⏱ </span>
              {clockLabel(g.clock)}
            </span>
          ) : (
            <span className="game-clock"> · untimed</span>
          )}
        </span>
        <span className="game-who">{children}</span>
      </span>
      {action}
    </li>
  );
}

export function OpenGames({ games, myId, onJoin, busyId }: { games: GameSummary[]; myId: string | null; onJoin: (g: GameSummary) => void; busyId: string | null }) {
  return (
    <section className="panel" aria-labelledby="open-h">
      <h2 id="open-h">Open seats</h2>
      <ul className="game-rows" aria-label="Open games">
        {games.length === 0 && <li className="muted">No one is waiting. Open a seat and they will come.</li>}
        {games.map((g) => {
          const mine = g.players.some((p) => p.playerId === myId);
          const host = g.players[0];
          const action = mine ? (
            <Link className="button" href={`/games/${g.id}`}>
              Your game
            </Link>
          ) : (
            <button type="button" onClick={() => onJoin(g)} disabled={busyId === g.id} aria-label={`Join ${host?.name ?? 'this'}'s ${GAME_TITLES[g.type] ?? g.type} game`}>
              Join
            </button>
          );
          return (
            <Row key={g.id} g={g} action={action}>
              {host?.name ?? '?'} <span className="muted">· {host ? <RatingText rating={host.rating} provisional={host.provisional} /> : ''}</span>
            </Row>
          );
        })}
      </ul>
    </section>
  );
}

/**
 * A game nobody has touched for this long is not "live now", though the server keeps it
 * open until its idle expiry (30 min untimed): watchers would find a game where nothing
 * happens. Your own stays listed (Resume).
 */
export const LIVE_WINDOW_MS = 10 * 60_000;

/** The time now, refreshed every `everyMs`, so stale rows leave lists on their own. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

export function LiveGames({ games: all, myId }: { games: GameSummary[]; myId: string | null }) {
  const now = useNow(30_000);
  const games = all.filter((g) => g.players.some((p) => p.playerId === myId) || now - Date.parse(g.updatedAt) < LIVE_WINDOW_MS);
  return (
    <section className="panel" aria-labelledby="live-h">
      <h2 id="live-h">Live now</h2>
      <ul className="game-rows" aria-label="Live games">
        {games.length === 0 && <li className="muted">No games in progress right now.</li>}
        {games.map((g) => {
          const action = g.players.some((p) => p.playerId === myId) ? (
            <Link className="button primary-link" href={`/games/${g.id}`} aria-label={`Resume ${who(g)}`}>
              Resume
            </Link>
          ) : (
            <Link className="button" href={`/games/${g.id}`} aria-label={`Watch ${who(g)}`}>
              Watch{g.spectators > 0 ? ` · ${g.spectators}👀` : ''}
            </Link>
          );
          return (
            <Row key={g.id} g={g} action={action}>
              {who(g)}
            </Row>
          );
        })}
      </ul>
    </section>
  );
}

export function RecentGames({ games }: { games: GameSummary[] }) {
  return (
    <section className="panel" aria-labelledby="recent-h">
      <h2 id="recent-h">Just finished</h2>
      <ul className="game-rows" aria-label="Finished games">
        {games.length === 0 && <li className="muted">No finished games yet.</li>}
        {games.map((g) => {
          const w = g.result?.winner;
          const winner = w === null || w === undefined ? null : g.players.find((p) => p.seat === w);
          const action = (
            <Link className="button" href={`/games/${g.id}/replay`} aria-label={`Replay ${who(g)}`}>
              Replay
            </Link>
          );
          return (
            <Row key={g.id} g={g} action={action}>
              {who(g)} <span className="game-result">{winner ? `${winner.name} won` : 'draw'}</span>
            </Row>
          );
        })}
      </ul>
    </section>
  );
}
