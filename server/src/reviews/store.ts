// The game_reviews table (migration 009): one row per game, written once. Every statement
// here is safe to run on several replicas at once.
import type { GameReview } from '@monkeytown/shared';
import type { Queryable } from '../db/index.js';

export type ReviewRow =
  | { status: 'pending' }
  | { status: 'failed'; error: string }
  | { status: 'done'; review: GameReview };

/** A review computation that failed this often is given up ('failed'). */
export const MAX_ATTEMPTS = 3;

export async function readReview(db: Queryable, gameId: string): Promise<ReviewRow | null> {
  const { rows } = await db.query<{ status: 'pending' | 'done' | 'failed'; review: GameReview | null; error: string | null }>(
    'SELECT status, review, error FROM game_reviews WHERE game_id = $1',
    [gameId],
  );
  const r = rows[0];
  if (!r) return null;
  if (r.status === 'done') return { status: 'done', review: r.review! };
  if (r.status === 'failed') return { status: 'failed', error: r.error ?? 'the review could not be computed' };
  return { status: 'pending' };
}

/** Queue one game's review (a no-op when it is queued or done). */
export async function requestReview(db: Queryable, gameId: string): Promise<void> {
  await db.query('INSERT INTO game_reviews (game_id) VALUES ($1) ON CONFLICT (game_id) DO NOTHING', [gameId]);
}

/**
 * Queue the reviews of games that ended lately and have none (REVIEW_AUTO). Only recent
 * games: an old game is reviewed when someone asks (GET /review), so a first deploy does
 * not queue the whole history at once.
 */
export async function queueFinished(db: Queryable, limit: number): Promise<number> {
  const { rows } = await db.query<{ game_id: string }>(
    `INSERT INTO game_reviews (game_id)
     SELECT g.id FROM games g
     WHERE g.status = 'finished' AND g.updated_at > now() - interval '1 hour'
       AND NOT EXISTS (SELECT 1 FROM game_reviews r WHERE r.game_id = g.id)
     ORDER BY g.updated_at LIMIT $1
     ON CONFLICT (game_id) DO NOTHING
     RETURNING game_id`,
    [limit],
  );
  return rows.length;
}

/**
 * Claims up to `n` pending reviews for `leaseMs` (FOR UPDATE SKIP LOCKED: two replicas
 * never claim the same one). A replica that dies mid-review leaves a lapsed lease that
 * any replica claims again; attempts counts the claims.
 */
export async function claimReviews(db: Queryable, n: number, leaseMs: number): Promise<string[]> {
  if (n <= 0) return [];
  const { rows } = await db.query<{ game_id: string }>(
    `UPDATE game_reviews SET claimed_until = now() + $2::int * interval '1 millisecond', attempts = attempts + 1
     WHERE game_id IN (
       SELECT game_id FROM game_reviews
       WHERE status = 'pending' AND (claimed_until IS NULL OR claimed_until < now())
       ORDER BY requested_at LIMIT $1
       FOR UPDATE SKIP LOCKED)
     RETURNING game_id`,
    [n, leaseMs],
  );
  return rows.map((r) => r.game_id);
}

/** Stores a computed review; false when it was already stored (then nothing changes). */
export async function storeReview(db: Queryable, gameId: string, review: GameReview): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE game_reviews SET status = 'done', review = $2::jsonb, done_at = now(), claimed_until = NULL
     WHERE game_id = $1 AND status = 'pending' RETURNING game_id`,
    [gameId, JSON.stringify(review)],
  );
  return rows.length > 0;
}

/** A failed computation: retried by a later claim, given up after MAX_ATTEMPTS. */
export async function failReview(db: Queryable, gameId: string, error: string): Promise<void> {
  await db.query(
    `UPDATE game_reviews SET claimed_until = NULL, error = $2,
       status = CASE WHEN attempts >= $3 THEN 'failed' ELSE status END
     WHERE game_id = $1 AND status = 'pending'`,
    [gameId, error.slice(0, 500), MAX_ATTEMPTS],
  );
}

/** Hands a claimed review back (shutdown): the claim does not count as an attempt. */
export async function releaseReview(db: Queryable, gameId: string): Promise<void> {
  await db.query(
    `UPDATE game_reviews SET claimed_until = NULL, attempts = greatest(attempts - 1, 0) WHERE game_id = $1 AND status = 'pending'`,
    [gameId],
  );
}
