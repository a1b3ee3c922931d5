import type { Player } from '@monkeytown/shared';
import type { Db, Queryable } from '../db/index.js';
import { ApiError } from '@monkeytown/shared';
import { NAME_RECENT_DAYS, nameKey, reservedNameLike, taggedName } from './names.js';
import { toPlayer, type PlayerRow } from './rows.js';

const inTransaction = <T>(q: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> =>
  'transaction' in q ? (q as Db).transaction(fn) : fn(q);

/**
 * The name `playerId` will be shown under: the chosen one, unless it imitates the troop
 * (409 name_unavailable) or another recent guest shows it already (then it gets a tag
 * from the player's id). Serialised per name (advisory lock) so two guests choosing
 * "Ada" at once do not both get it bare.
 */
async function displayName(tx: Queryable, playerId: string, chosen: string): Promise<{ name: string; key: string }> {
  const like = reservedNameLike(chosen);
  if (like) throw new ApiError('name_unavailable', `"${chosen}" is too close to ${like}, a Monkeytown name: pick another`, { name: chosen });
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`name:${nameKey(chosen)}`]);
  for (const name of [chosen, taggedName(chosen, playerId, 4), taggedName(chosen, playerId, 8)]) {
    const key = nameKey(name);
    const { rowCount } = await tx.query(
      `SELECT 1 FROM players WHERE kind = 'human' AND name_key = $1 AND id <> $2
         AND name_at > now() - make_interval(days => $3) LIMIT 1`,
      [key, playerId, NAME_RECENT_DAYS],
    );
    if (!rowCount) return { name, key };
  }
  const name = taggedName(chosen, playerId, 32); // the whole id: unique
  return { name, key: nameKey(name) };
}

/** A new guest named `chosen` (or its tagged form). */
export async function createGuest(q: Queryable, id: string, chosen: string): Promise<Player> {
  return inTransaction(q, async (tx) => {
    const { name, key } = await displayName(tx, id, chosen);
    const { rows } = await tx.query<PlayerRow>(
      `INSERT INTO players (id, name, kind, name_key, name_at) VALUES ($1, $2, 'human', $3, now())
       RETURNING id, name, kind, agent_id, created_at`,
      [id, name, key],
    );
    return toPlayer(rows[0]!);
  });
}

/** Rename a guest; the same rules as choosing a name. Games show the new name (names are joined, not copied). */
export async function renameGuest(db: Db, id: string, chosen: string): Promise<Player> {
  return db.transaction(async (tx) => {
    const { name, key } = await displayName(tx, id, chosen);
    const { rows } = await tx.query<PlayerRow>(
      `UPDATE players SET name = $2, name_key = $3, name_at = now() WHERE id = $1 AND kind = 'human'
       RETURNING id, name, kind, agent_id, created_at`,
      [id, name, key],
    );
    if (!rows[0]) throw new ApiError('not_found', 'player not found');
    return toPlayer(rows[0]);
  });
}

/**
 * Sign out: every token issued to the player so far stops working, on every replica
 * (the auth guard reads token_version from Postgres on each request; a move checks it
 * inside the statement that writes it, games/pipeline/write.ts). Returns the new version
 * (null: no such guest), which the event-stream is told (routes/players.ts).
 */
export async function revokeTokens(q: Queryable, id: string): Promise<number | null> {
  const { rows } = await q.query<{ token_version: number }>(
    `UPDATE players SET token_version = token_version + 1 WHERE id = $1 AND kind = 'human' RETURNING token_version`, [id]);
  return rows[0]?.token_version ?? null;
}

/** The token versions of several guests (a move batch's retries and replays), by id. */
export async function tokenVersionsOf(q: Queryable, ids: readonly string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const { rows } = await q.query<{ id: string; token_version: number }>(
    `SELECT id, token_version FROM players WHERE id = ANY($1::uuid[]) AND kind = 'human'`, [ids]);
  return new Map(rows.map((r) => [r.id, r.token_version]));
}

/** The token version a player's tokens must carry, or null for no such guest. */
export async function tokenVersionOf(q: Queryable, id: string): Promise<number | null> {
  const { rows } = await q.query<{ token_version: number }>(`SELECT token_version FROM players WHERE id = $1 AND kind = 'human'`, [id]);
  return rows[0]?.token_version ?? null;
}
