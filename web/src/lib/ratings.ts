// How ratings read everywhere they show: "1520" once established, "1520?" while the
// deviation is still high (provisional, the server decides), and a game's change as
// "+12" / "−8" (a real minus sign) / "±0".
import type { GameSummary, RatingChange } from '@monkeytown/shared/schemas';

export const PROVISIONAL_TITLE = 'Provisional rating: still settling after few rated games';

export function formatRating(rating: number, provisional: boolean): string {
  return `${Math.round(rating)}${provisional ? '?' : ''}`;
}

export function formatDelta(change: Pick<RatingChange, 'before' | 'after'>): string {
  const d = Math.round(change.after) - Math.round(change.before);
  if (d > 0) return `+${d}`;
  if (d < 0) return `\u2212${-d}`;
  return '\u00b10';
}

/** The change a finished game made to one player's rating, if it was rated. */
export function changeFor(game: Pick<GameSummary, 'ratingChanges'>, playerId: string | undefined): RatingChange | null {
  if (!playerId) return null;
  return game.ratingChanges?.find((c) => c.playerId === playerId) ?? null;
}
