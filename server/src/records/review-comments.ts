import type { GameReview } from '@monkeytown/shared';

/**
 * A game record's comments with the post-game review written in (issue 27): each moment's
 * words after its move, following the monkey's reason for it when there is one, and the
 * review's summary after the last move.
 */
export function withReview(comments: readonly (string | null)[], review: GameReview | null): (string | null)[] {
  const out = [...comments];
  if (!review || out.length === 0) return out;
  const add = (ply: number, text: string) => {
    const i = ply - 1;
    if (i < 0 || i >= out.length) return;
    out[i] = out[i] ? `${out[i]} — ${text}` : text;
  };
  for (const m of review.moments) add(m.ply, `${review.reviewer.name}: ${m.text}`);
  add(out.length, `${review.reviewer.name}'s review: ${review.summary}`);
  return out;
}
