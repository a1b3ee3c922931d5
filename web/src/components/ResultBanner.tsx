'use client';
// The end of a game in words, from the viewer's point of view: who won and how ("by three
// in a row", "on time", "by resignation", "by agreement", aborted, left, abandoned), and
// what it did to the ratings ("+12" / "−8"), or why it was not rated.
import type { ReactNode } from 'react';
import type { GameSnapshot, Seat } from '@monkeytown/shared/schemas';
import { RatingDelta, RatingText } from './RatingText';

type Ended = Pick<GameSnapshot, 'players' | 'result' | 'clockState'>;

const nameOf = (game: Ended, seat: Seat | null | undefined, fallback: string) =>
  (seat === null || seat === undefined ? undefined : game.players.find((p) => p.seat === seat)?.name) ?? fallback;

/** The seat whose clock ran out (the one at 0:00), if any. */
function flaggedSeat(game: Ended): Seat | null {
  const c = game.clockState;
  if (!c) return null;
  if (c.remainingMs[0] <= 0) return 0;
  if (c.remainingMs[1] <= 0) return 1;
  return null;
}

export function resultText(game: Ended, mySeat: Seat | null): string {
  const r = game.result;
  if (!r) return '';
  const detail = r.detail ? ` by ${r.detail}` : '';
  if (r.reason === 'aborted') return r.detail ? `Game aborted: ${r.detail}.` : 'Game aborted before both sides moved.';
  if (r.reason === 'abandoned') return r.detail ? `Game abandoned: ${r.detail}.` : 'Game abandoned: nobody played on.';

  if (r.winner === null) {
    switch (r.reason) {
      case 'agreement':
        return 'Draw by agreement.';
      case 'timeout': {
        const f = flaggedSeat(game);
        const who = f === null ? 'Time ran out' : f === mySeat ? 'You ran out of time' : `${nameOf(game, f, 'A player')} ran out of time`;
        return `Draw: ${who}, but the other side cannot win${r.detail ? ` (${r.detail})` : ''}.`;
      }
      case 'left':
        return 'Draw: a player left the game.';
      default:
        return `Draw${detail}!`;
    }
  }

  const loser = (r.winner === 0 ? 1 : 0) as Seat;
  const iWon = mySeat !== null && r.winner === mySeat;
  const iLost = mySeat !== null && loser === mySeat;
  const winner = iWon ? 'You win' : `${nameOf(game, r.winner, `Seat ${r.winner + 1}`)} wins`;
  const end = iWon ? '! 🏆' : '.';
  switch (r.reason) {
    case 'resign':
      return `${winner} by resignation${end}`;
    case 'timeout':
      return iLost ? `You ran out of time. ${winner} on time.` : `${winner} on time${end}`;
    case 'left':
      return `${winner}: ${iLost ? 'you' : nameOf(game, loser, 'the opponent')} left the game${end}`;
    case 'agreement':
      return `${winner} by agreement${end}`;
    default:
      return `${winner}${detail}${end}`;
  }
}

/** The rating line: the viewer's own change, or both players' for a spectator (and on the replay page). */
export function RatingLine({ game, mySeat }: { game: GameSnapshot; mySeat: Seat | null }) {
  const changes = game.ratingChanges ?? [];
  if (!game.rated) return <span className="result-rating muted">Unrated game.</span>;
  if (changes.length === 0) {
    // Rated games that ended before both sides moved change no rating (the server's rule).
    return game.moveCount < 2 ? <span className="result-rating muted">Not rated: ended before both sides moved.</span> : null;
  }
  const shown = mySeat === null ? changes : changes.filter((c) => c.seat === mySeat);
  return (
    <span className="result-rating" data-testid="rating-change">
      {shown.map((c, i) => {
        const p = game.players.find((x) => x.seat === c.seat);
        return (
          <span key={c.seat} className="rating-change">
            {i > 0 ? ' · ' : ''}
            {mySeat === null ? `${p?.name ?? `Seat ${c.seat + 1}`} ` : 'Your rating '}
            <RatingText rating={c.after} provisional={p?.provisional ?? false} /> (<RatingDelta change={c} />)
          </span>
        );
      })}
    </span>
  );
}

export function ResultBanner({ game, mySeat, children }: { game: GameSnapshot; mySeat: Seat | null; children?: ReactNode }) {
  if (game.status !== 'finished' || !game.result) return null;
  const r = game.result;
  const outcome = r.winner === null ? 'draw' : mySeat === null ? 'other' : r.winner === mySeat ? 'win' : 'loss';
  return (
    <div className="result-banner" role="status" data-outcome={outcome} data-reason={r.reason}>
      <span className="result-words">
        <strong>{resultText(game, mySeat)}</strong>
        <RatingLine game={game} mySeat={mySeat} />
      </span>
      <span className="result-actions">{children}</span>
    </div>
  );
}
