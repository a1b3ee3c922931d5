import type { Queryable } from '../db/index.js';
import { ApiError } from '@monkeytown/shared';
import { tokenVersionOf } from '../players/identity.js';

/** A token issued before its player signed out (401, on every route and replica). */
export const signedOut = () => new ApiError('unauthorized', 'this token was signed out');

/**
 * 401 unless the token's version is still its player's: read from the database, so a
 * sign-out on one replica is seen by all of them at once. Used where no write checks the
 * version itself (requireAuth's routes; a join refused before any statement).
 */
export async function assertTokenCurrent(db: Queryable, playerId: string, tokenVersion: number): Promise<void> {
  const version = await tokenVersionOf(db, playerId);
  if (version === null) throw new ApiError('unauthorized', 'unknown player: create a new guest');
  if (version !== tokenVersion) throw signedOut();
}
