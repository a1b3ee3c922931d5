import { createHash } from 'node:crypto';
import type { Queryable } from '../db/index.js';
import { ApiError } from '@monkeytown/shared';

/**
 * Idempotency-Key bound to the request it was first used with: a fingerprint of the
 * route, the game and the body. The same key with the same request replays the stored
 * response; with a different request it is refused (422 idempotency_key_reused), as
 * the IETF Idempotency-Key draft and Stripe do, and nothing is written.
 */
export function requestFingerprint(route: string, gameId: string, body: unknown): string {
  return createHash('sha256').update(`${route}\n${gameId}\n${canonicalJson(body)}`).digest('base64url');
}

/** JSON with object keys sorted, so equal bodies give equal text whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export interface StoredRequest {
  playerId: string;
  key: string;
  fingerprint: string;
}

interface StoredRow {
  player_id: string;
  key: string;
  fingerprint: string | null;
  response: unknown;
}

export const keyReused = () =>
  new ApiError('idempotency_key_reused', 'this Idempotency-Key was already used with a different request');

/**
 * Stored responses for several (player, key) pairs in one query: a response for a
 * matching request, an ApiError for a reused key, nothing for a new key.
 */
export async function storedResponses(q: Queryable, reqs: readonly StoredRequest[]): Promise<Map<StoredRequest, unknown | ApiError>> {
  const out = new Map<StoredRequest, unknown | ApiError>();
  if (!reqs.length) return out;
  const { rows } = await q.query<StoredRow>(
    `SELECT i.player_id, i.key, i.fingerprint, i.response FROM idempotency i
     JOIN unnest($1::uuid[], $2::text[]) AS r(player_id, key) ON i.player_id = r.player_id AND i.key = r.key`,
    [reqs.map((r) => r.playerId), reqs.map((r) => r.key)],
  );
  const byKey = new Map(rows.map((r) => [`${r.player_id}\n${r.key}`, r]));
  for (const r of reqs) {
    const row = byKey.get(`${r.playerId}\n${r.key}`);
    if (!row) continue;
    // Rows stored before fingerprints existed match any request of their player and key.
    out.set(r, row.fingerprint === null || row.fingerprint === r.fingerprint ? row.response : keyReused());
  }
  return out;
}
