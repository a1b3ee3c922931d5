// A rating as text ("1520", or "1520?" with an explanation on hover while provisional) and
// a rating change ("+12", coloured by direction). Server components use these too.
import type { RatingChange } from '@monkeytown/shared/schemas';
import { formatDelta, formatRating, PROVISIONAL_TITLE } from '../lib/ratings';

export function RatingText({ rating, provisional }: { rating: number; provisional: boolean }) {
  return (
    <span className="rating" data-provisional={provisional || undefined} title={provisional ? PROVISIONAL_TITLE : undefined}>
      {formatRating(rating, provisional)}
    </span>
  );
}

export function RatingDelta({ change }: { change: Pick<RatingChange, 'before' | 'after'> }) {
  const d = Math.round(change.after) - Math.round(change.before);
  return (
    <span className="rating-delta" data-sign={d > 0 ? 'up' : d < 0 ? 'down' : 'even'}>
      {formatDelta(change)}
    </span>
  );
}
