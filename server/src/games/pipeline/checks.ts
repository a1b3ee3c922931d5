import { ApiError, lifecycleRefusal } from '@monkeytown/shared';
import type { Queryable } from '../../db/index.js';
import { tokenVersionsOf } from '../../players/identity.js';
import { requestFingerprint, type StoredRequest } from '../idempotency.js';
import { seatOf, type GameRow } from '../snapshot.js';
import type { Command, CommandDef, Envelope } from '../commands/types.js';

/**
 * The checks every command passes before its plan, in this order, written once: the
 * actor's seat (403 for a non-player where a player is needed), the game's status
 * against the shared lifecycle table (packages/shared/src/commands/lifecycle.ts), and
 * expectedSeq (409 stale_seq outside [state seq, seq]: a chat or an offer does not make
 * it stale, a move does). Returns the actor's seat.
 */
export function admit(row: GameRow, env: Envelope, c: Command, def: CommandDef<Command, unknown, unknown>): 0 | 1 | null {
  const seat = env.playerId === null ? null : seatOf(row, env.playerId);
  if (def.actor === 'player' && seat === null) throw new ApiError('forbidden', 'you are not a player in this game');
  const command = def.lifecycle(c);
  const refusal = command && lifecycleRefusal(command, row.status);
  if (refusal) throw new ApiError(refusal.code, refusal.message);
  const expectedSeq = def.expectedSeq?.(c);
  if (expectedSeq !== undefined && (expectedSeq < row.state_seq || expectedSeq > row.seq)) {
    throw new ApiError('stale_seq', `expectedSeq ${expectedSeq} is stale: the game is at seq ${row.seq}`, { seq: row.seq, expectedSeq });
  }
  return seat;
}

/** The Idempotency-Key request a command stores its response under (null: no key, or a command without one). */
export function storedRequest(env: Envelope, c: Command, def: CommandDef<Command, unknown, unknown>): StoredRequest | null {
  if (!env.idempotencyKey || !def.idempotent || env.playerId === null) return null;
  return { playerId: env.playerId, key: env.idempotencyKey, fingerprint: requestFingerprint(def.idempotent.route, env.gameId, def.idempotent.body(c)) };
}

/**
 * The requests among `reqs` whose token was signed out since it was issued, in one read.
 * The write itself checks the version of what it writes (no read); this is for what is
 * answered without that write (a replay, a refusal) or written again after a failed check.
 */
export async function signedOutOnes<T extends { env: Envelope }>(q: Queryable, reqs: readonly T[]): Promise<Set<T>> {
  const checked = reqs.filter((r) => r.env.tokenVersion !== undefined && r.env.playerId !== null);
  if (!checked.length) return new Set();
  const current = await tokenVersionsOf(q, [...new Set(checked.map((r) => r.env.playerId!))]);
  return new Set(checked.filter((r) => current.get(r.env.playerId!) !== r.env.tokenVersion));
}

/** A join's checks: a seated player cannot take the other seat (409), and the lifecycle's join row (game_full). */
export function admitJoin(row: GameRow, playerId: string): ApiError | null {
  if (seatOf(row, playerId) !== null) return new ApiError('conflict', 'you already sit at this game');
  const refusal = lifecycleRefusal('join', row.status);
  return refusal ? new ApiError(refusal.code, refusal.message) : null;
}
