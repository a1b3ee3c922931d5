'use client';
// Both seats with name, rating ("1520?" while provisional) and mark; the side to move is
// highlighted and announced; a timed game shows each seat's clock; at the end each strip
// says how it went for that seat (won, out of time, resigned…).
import Link from 'next/link';
import type { GameSnapshot, Seat } from '@monkeytown/shared/schemas';
import { seatMarkName } from './boards/marks';
import { Clock } from './game/Clock';
import { splitTag } from '../lib/names';
import { RatingText } from './RatingText';

/** The name, its disambiguation tag (if any) small and muted beside it. */
function PlayerName({ name }: { name: string }) {
  const { base, tag } = splitTag(name);
  return tag ? (
    <>
      {base} <span className="name-tag">{tag}</span>
    </>
  ) : (
    <>{name}</>
  );
}

/** How the game ended for one seat, in a word or two (empty while it runs). */
export function seatOutcome(game: GameSnapshot, seat: Seat): string {
  const r = game.result;
  if (game.status !== 'finished' || !r) return '';
  const won = r.winner === seat;
  switch (r.reason) {
    case 'aborted':
      return 'Aborted';
    case 'abandoned':
      return 'Abandoned';
    case 'timeout':
      if (r.winner === null) return (game.clockState?.remainingMs[seat] ?? 1) <= 0 ? 'Out of time · draw' : 'Draw';
      return won ? 'Won on time' : 'Out of time';
    case 'resign':
      return won ? 'Won' : 'Resigned';
    case 'left':
      return r.winner === null ? 'Draw' : won ? 'Won' : 'Left';
    default:
      return r.winner === null ? 'Draw' : won ? 'Won' : 'Lost';
  }
}

export interface PlayersPanelProps {
  game: GameSnapshot;
  mySeat: Seat | null;
  clocks?: boolean;
  /**
   * The seat shown nearest the viewer (the live page: the viewer's own, else seat 0): its
   * strip comes last, marked data-side="bottom", the opponent's first ("top"); the page's
   * layout puts them above and below the board (phone) or atop and under the side column.
   */
  bottom?: Seat;
}

export function PlayersPanel({ game, mySeat, clocks = true, bottom }: PlayersPanelProps) {
  const seats: Seat[] = bottom === undefined ? [0, 1] : [bottom === 0 ? 1 : 0, bottom];
  const finished = game.status === 'finished';
  return (
    <ul className="players" aria-label="Players" data-timed={(clocks && game.clockState) ? true : undefined}>
      {seats.map((seat) => {
        const p = game.players.find((x) => x.seat === seat);
        // Keyed by side on the live page: when the session arrives and turns the strips round
        // (the viewer plays seat 1), the boxes stay and only their contents change (no layout shift).
        const side = bottom === undefined ? undefined : seat === bottom ? 'bottom' : 'top';
        const toMove = game.status === 'active' && game.turn === seat;
        const outcome = seatOutcome(game, seat);
        return (
          <li key={side ?? seat} className="player" data-seat={seat} data-side={side} data-turn={toMove || undefined} data-outcome={outcome ? (game.result?.winner === seat ? 'won' : game.result?.winner === null ? 'draw' : 'lost') : undefined}>
            <span className={`seat-chip seat-${seat} ${game.type}`} aria-hidden="true" />
            <span className="player-main">
              {p ? (
                <Link href={`/players/${p.playerId}`} className="player-name">
                  {p.emoji ? <span aria-hidden="true">{p.emoji} </span> : null}
                  <PlayerName name={p.name} />
                </Link>
              ) : (
                <span className="player-name muted">Waiting for a player…</span>
              )}
              <span className="player-meta">
                {seatMarkName(game.type, seat)}
                {p ? (
                  <>
                    {' · '}
                    <RatingText rating={p.rating} provisional={p.provisional} />
                  </>
                ) : null}
                {mySeat === seat ? ' · you' : ''}
              </span>
            </span>
            <span className="player-side">
              {clocks && game.clockState && (
                <Clock state={game.clockState} seat={seat} settings={game.clock} live={game.status === 'active'} owner={p?.name ?? `Seat ${seat + 1}`} mine={mySeat === seat} turn={game.turn} />
              )}
              <span className="turn-tag">{finished ? outcome : toMove ? (mySeat === seat ? 'Your turn' : 'To move') : ''}</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
