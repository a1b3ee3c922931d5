import { randomUUID } from 'node:crypto';
import { ApiError, notFound, type ReportBody, type ReportResponse } from '@monkeytown/shared';
import type { Queryable } from '../db/index.js';

/**
 * POST /api/games/:id/reports: a player reports another player's chat in a game, kept in
 * `chat_reports` for moderators with the line reported (the one named by `seq`, else the
 * player's latest line there; as posted, after the word filter). One report per reporter,
 * reported player and game: reporting again answers the first report. Nothing is hidden
 * or changed for anyone by a report (muting is each viewer's own, in the browser).
 */
export async function reportChat(db: Queryable, reporterId: string, gameId: string, body: ReportBody): Promise<ReportResponse> {
  if (body.playerId === reporterId) throw new ApiError('bad_request', 'you cannot report yourself');
  const { rows } = await db.query<{ found: boolean; seq: number | null; text: string | null }>(
    `SELECT EXISTS (SELECT 1 FROM games WHERE id = $1) AS found, e.seq, e.data->>'text' AS text
     FROM (SELECT 1) AS one
     LEFT JOIN LATERAL (
       SELECT seq, data FROM events
       WHERE game_id = $1 AND kind = 'chat' AND data->>'playerId' = $2 AND ($3::int IS NULL OR seq = $3)
       ORDER BY seq DESC LIMIT 1
     ) e ON true`,
    [gameId, body.playerId, body.seq ?? null],
  );
  const line = rows[0]!;
  if (!line.found) throw notFound('game');
  if (line.seq === null) throw new ApiError('not_found', body.seq ? 'no chat line of that player at that seq in this game' : 'that player has said nothing in this game');
  const inserted = await db.query<{ id: string; created_at: Date }>(
    `INSERT INTO chat_reports (id, game_id, reporter_id, reported_id, seq, text, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (reporter_id, reported_id, game_id) DO NOTHING
     RETURNING id, created_at`,
    [randomUUID(), gameId, reporterId, body.playerId, line.seq, line.text, body.reason || null],
  );
  const r = inserted.rows[0] ?? (await db.query<{ id: string; created_at: Date }>(
    'SELECT id, created_at FROM chat_reports WHERE reporter_id = $1 AND reported_id = $2 AND game_id = $3',
    [reporterId, body.playerId, gameId],
  )).rows[0]!;
  return { report: { id: r.id, createdAt: new Date(r.created_at).toISOString() } };
}
