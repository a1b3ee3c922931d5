import { z } from 'zod';
import type { GameEvent, GameSummary, ListGamesQuery, ListGamesResponse } from '@monkeytown/shared';
import type { Queryable } from '../db/index.js';
import { ApiError } from '@monkeytown/shared';
import { SNAPSHOT_COLUMNS, SNAPSHOT_FROM, toSnapshot, toSummary, type GameRow } from './snapshot.js';

interface Cursor {
  k: string; // updated_at in epoch microseconds
  id: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.k, c.id])).toString('base64url');
}

// A cursor is [updated_at in epoch µs, game id]. Bounded so the keyset WHERE can never
// fail in Postgres (bigint overflow, timestamps past year 9999, a uuid that is not one):
// anything else is the client's mistake, a 400, never a 500.
const MAX_CURSOR_KEY = 253_402_300_799_999_999n; // 9999-12-31T23:59:59.999999Z
const CursorJson = z.tuple([
  z.string().refine((k) => /^\d{1,18}$/.test(k) && BigInt(k) <= MAX_CURSOR_KEY),
  z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
]);

function decodeCursor(s: string): Cursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    json = undefined;
  }
  const parsed = CursorJson.safeParse(json);
  if (!parsed.success) throw new ApiError('bad_request', 'invalid cursor');
  return { k: parsed.data[0], id: parsed.data[1] };
}

/**
 * Lobby page: newest activity first, keyset paging on (updated_at, id) so pages stay
 * stable while games are created and moved (no OFFSET drift).
 */
export async function listGames(q: Queryable, query: ListGamesQuery): Promise<ListGamesResponse> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.status) {
    params.push(query.status);
    where.push(`g.status = $${params.length}`);
    // Live only: a game whose deadline (flag, idle or open-seat expiry) has passed is over,
    // even in the moment before the flag scheduler (games/clock/scheduler.ts) records it.
    if (query.status !== 'finished') {
      params.push(new Date());
      where.push(`(g.flag_at IS NULL OR g.flag_at > $${params.length})`);
    }
  }
  if (query.type) {
    params.push(query.type);
    where.push(`g.type = $${params.length}`);
  }
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    params.push(c.k, c.id);
    where.push(
      `(g.updated_at, g.id) < (timestamptz 'epoch' + $${params.length - 1}::bigint * interval '1 microsecond', $${params.length}::uuid)`,
    );
  }
  params.push(query.limit + 1);
  const { rows } = await q.query<GameRow>(
    `SELECT ${SNAPSHOT_COLUMNS} FROM ${SNAPSHOT_FROM}
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY g.updated_at DESC, g.id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    games: page.map((r) => toSummary(toSnapshot(r))),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ k: last.updated_key, id: last.id }) : null,
  };
}

export async function recentGamesOf(q: Queryable, playerId: string, limit = 10): Promise<GameSummary[]> {
  const { rows } = await q.query<GameRow>(
    `SELECT ${SNAPSHOT_COLUMNS} FROM ${SNAPSHOT_FROM}
     WHERE g.player0_id = $1 OR g.player1_id = $1 ORDER BY g.updated_at DESC, g.id DESC LIMIT $2`,
    [playerId, limit],
  );
  return rows.map((r) => toSummary(toSnapshot(r)));
}

export async function listEvents(q: Queryable, gameId: string, after: number, limit: number): Promise<GameEvent[] | null> {
  const exists = await q.query('SELECT 1 FROM games WHERE id = $1', [gameId]);
  if (exists.rowCount === 0) return null;
  const { rows } = await q.query<{ seq: number; kind: GameEvent['kind']; data: unknown; at: Date }>(
    'SELECT seq, kind, data, at FROM events WHERE game_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
    [gameId, after, limit],
  );
  // `data` is what a command's plan emitted, typed by the same kind → schema map (the route's
  // response schema checks it again on the way out).
  return rows.map((r) => ({ gameId, seq: r.seq, kind: r.kind, data: r.data, at: r.at.toISOString() }) as GameEvent);
}
