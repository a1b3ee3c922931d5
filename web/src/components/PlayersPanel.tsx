'use client';
// Both seats with name, rating and mark; the side to move is highlighted and announced.
import Link from 'next/link';
import type { GameSnapshot, Seat } from '@monkeytown/shared/schemas';
import { seatMarkName } from './boards/marks';

export function PlayersPanel({ game, mySeat }: { game: GameSnapshot; mySeat: Seat | null }) {
  const seats: Seat[] = [0, 1];
  return (
    <ul className="players" aria-label="Players">
      {seats.map((seat) => {
        const p = game.players.find((x) => x.seat === seat);
        const toMove = game.status === 'active' && game.turn === seat;
        return (
          <li key={seat} className="player" data-seat={seat} data-turn={toMove || undefined}>
            <span className={`seat-chip seat-${seat} ${game.type}`} aria-hidden="true" />
            <span className="player-main">
              {p ? (
                <Link href={`/players/${p.playerId}`} className="player-name">
                  {p.emoji ? <span aria-hidden="true">{p.emoji} </span> : null}
                  {p.name}
                </Link>
              ) : (
                <span className="player-name muted">Waiting for a player…</span>
              )}
              <span className="player-meta">
                {seatMarkName(game.type, seat)}
                {p ? ` · ${Math.round(p.rating)}` : ''}
                {mySeat === seat ? ' · you' : ''}
              </span>
            </span>
            <span className="turn-tag">{toMove ? (mySeat === seat ? 'Your turn' : 'To move') : ''}</span>
          </li>
        );
      })}
    </ul>
  );
}
