import { notFound, type OpenReport, type ResolveReportBody, type ResolveReportResponse } from '@monkeytown/shared';
import type { Queryable } from '../db/index.js';

/** At most this many open reports in one answer (the oldest first: they have waited longest). */
export const OPEN_REPORTS_LIMIT = 200;

interface ReportRow {
  id: string;
  game_id: string;
  game_type: OpenReport['game']['type'];
  reporter_id: string;
  reporter_name: string;
  reported_id: string;
  reported_name: string;
  seq: number | null;
  text: string | null;
  reason: string | null;
  created_at: Date;
}

/** GET /api/moderation/reports: the reports no moderator has closed yet, with the names as they are now. */
export async function openReports(db: Queryable): Promise<{ reports: OpenReport[] }> {
  const { rows } = await db.query<ReportRow>(
    `SELECT r.id, r.game_id, g.type AS game_type, r.reporter_id, a.name AS reporter_name,
            r.reported_id, b.name AS reported_name, r.seq, r.text, r.reason, r.created_at
     FROM chat_reports r
     JOIN games g ON g.id = r.game_id
     JOIN players a ON a.id = r.reporter_id
     JOIN players b ON b.id = r.reported_id
     WHERE r.resolved_at IS NULL
     ORDER BY r.created_at, r.id
     LIMIT $1`,
    [OPEN_REPORTS_LIMIT],
  );
  return {
    reports: rows.map((r) => ({
      id: r.id,
      game: { id: r.game_id, type: r.game_type },
      reporter: { id: r.reporter_id, name: r.reporter_name },
      reported: { id: r.reported_id, name: r.reported_name },
      seq: r.seq,
      text: r.text,
      reason: r.reason,
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}

/**
 * POST /api/moderation/reports/:id/resolve: a moderator closes a report (it leaves the open
 * list). Closing a closed report changes nothing and answers the first closing, so a
 * repeated click or two moderators at once never overwrite who closed it.
 */
export async function resolveReport(db: Queryable, moderatorId: string, reportId: string, body: ResolveReportBody): Promise<ResolveReportResponse> {
  const { rows } = await db.query<{ id: string; resolved_at: Date; resolved_by: string; name: string; resolution_note: string | null }>(
    `WITH closed AS (
       UPDATE chat_reports SET resolved_at = now(), resolved_by = $2, resolution_note = $3
       WHERE id = $1 AND resolved_at IS NULL
       RETURNING id, resolved_at, resolved_by, resolution_note
     ),
     report AS (
       SELECT id, resolved_at, resolved_by, resolution_note FROM closed
       UNION ALL
       SELECT id, resolved_at, resolved_by, resolution_note FROM chat_reports WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM closed)
     )
     SELECT report.*, p.name FROM report JOIN players p ON p.id = report.resolved_by`,
    [reportId, moderatorId, body.note || null],
  );
  const r = rows[0];
  if (!r) throw notFound('report');
  return {
    report: { id: r.id, resolvedAt: new Date(r.resolved_at).toISOString(), resolvedBy: { id: r.resolved_by, name: r.name }, note: r.resolution_note },
  };
}
