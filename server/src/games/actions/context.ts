import type { GameResult } from '@monkeytown/shared';
import { ApiError } from '@monkeytown/shared';
import type { GameTx } from '../game-tx.js';
import { keyReused, requestFingerprint, storedResponses } from '../idempotency.js';
import { seatOf } from '../snapshot.js';
import type { StoredOffers } from './offers-state.js';

/** What every action gets: the locked game, who acts, and the service's finish path. */
export interface ActionCtx {
  g: GameTx;
  playerId: string;
  seat: 0 | 1;
  /** Ends the game through GameService.finishGame (ratings, game.over), like resign. */
  finish(result: GameResult): Promise<void>;
}

export interface ActionRequest {
  route: 'abort' | 'offers' | 'claim';
  playerId: string;
  body: { expectedSeq: number };
  idempotencyKey?: string | undefined;
}

/**
 * The guarantees every live-game command shares with moves, inside the game's locked
 * transaction: a stored Idempotency-Key response is replayed (a key reused for another
 * request is refused), non-players get 403, an expectedSeq outside [state seq, seq]
 * gets 409 stale_seq; after the action the response is stored under the key, in the
 * same transaction.
 */
export async function runAction<T>(
  g: GameTx, req: ActionRequest, finish: ActionCtx['finish'], act: (ctx: ActionCtx) => Promise<T>,
): Promise<{ response: T; replayed: boolean }> {
  const r = g.row;
  const stored = req.idempotencyKey
    ? { playerId: req.playerId, key: req.idempotencyKey, fingerprint: requestFingerprint(req.route, r.id, req.body) }
    : null;
  if (stored) {
    const hit = (await storedResponses(g.q, [stored])).get(stored);
    if (hit instanceof ApiError) throw hit;
    if (hit !== undefined) return { response: hit as T, replayed: true };
  }
  const seat = seatOf(r, req.playerId);
  if (seat === null) throw new ApiError('forbidden', 'you are not a player in this game');
  const { expectedSeq } = req.body;
  if (expectedSeq < r.state_seq || expectedSeq > r.seq) {
    throw new ApiError('stale_seq', `expectedSeq ${expectedSeq} is stale: the game is at seq ${r.seq}`, { seq: r.seq, expectedSeq });
  }
  const response = await act({ g, playerId: req.playerId, seat, finish });
  if (stored) {
    const { rows } = await g.q.query(
      `INSERT INTO idempotency (player_id, key, game_id, route, status, response, fingerprint)
       VALUES ($1, $2, $3, $4, 200, $5, $6) ON CONFLICT DO NOTHING RETURNING key`,
      [stored.playerId, stored.key, r.id, req.route, JSON.stringify(response), stored.fingerprint],
    );
    // The key is already stored for another game: refuse (the transaction rolls back).
    if (!rows.length) throw keyReused();
  }
  return { response, replayed: false };
}

/** Writes the offers column (and the rematch game) before GameTx.commit, whose RETURNING then reads them. */
export async function saveOffers(g: GameTx, offers: StoredOffers | null, rematchId?: string): Promise<void> {
  const empty = !offers || Object.keys(offers).length === 0;
  g.row.offers = empty ? null : offers;
  if (rematchId) g.row.rematch_id = rematchId;
  await g.q.query('UPDATE games SET offers = $2, rematch_id = COALESCE($3, rematch_id) WHERE id = $1',
    [g.row.id, empty ? null : JSON.stringify(offers), rematchId ?? null]);
}

export const other = (seat: 0 | 1): 0 | 1 => (seat === 0 ? 1 : 0);

/** The kind of the player in a seat. */
export const kindOf = (g: GameTx, seat: 0 | 1): 'human' | 'agent' =>
  (seat === 0 ? g.row.p0_kind : g.row.p1_kind) ?? 'human';
