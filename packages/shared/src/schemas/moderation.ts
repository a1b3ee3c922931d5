import { z } from 'zod';
import { Id, Timestamp } from './common.js';
import { GameType } from './games.js';

/**
 * Moderation (issue 26): the chat reports players filed (POST /api/games/:id/reports),
 * read and closed by the moderators the server's MODERATORS setting names (docs/api.md,
 * "Moderation"). Everyone else is answered 403 `forbidden`.
 */

/** A player as a moderator sees them: the id and the name at the time of reading. */
export const ModerationPlayer = z.object({ id: Id, name: z.string() });
export type ModerationPlayer = z.infer<typeof ModerationPlayer>;

/** An open report: who reported whom, in which game, the line reported (after the word filter) and why. */
export const OpenReport = z.object({
  id: Id,
  game: z.object({ id: Id, type: GameType }),
  reporter: ModerationPlayer,
  reported: ModerationPlayer,
  /** The chat line's event seq in the game, and its text as posted. */
  seq: z.number().int().nullable(),
  text: z.string().nullable(),
  /** The reporter's own words, if any. */
  reason: z.string().nullable(),
  createdAt: Timestamp,
});
export type OpenReport = z.infer<typeof OpenReport>;

/** GET /api/moderation/reports: the open reports, oldest first (the longest waiting on top). */
export const OpenReportsResponse = z.object({ reports: z.array(OpenReport) });
export type OpenReportsResponse = z.infer<typeof OpenReportsResponse>;

export const ReportIdParams = z.strictObject({ id: Id });

/** POST /api/moderation/reports/:id/resolve: closed, with an optional note for the other moderators. */
export const ResolveReportBody = z.strictObject({ note: z.string().trim().max(280).optional() });
export type ResolveReportBody = z.infer<typeof ResolveReportBody>;

/** The closed report; closing it again answers the first closing. */
export const ResolveReportResponse = z.object({
  report: z.object({ id: Id, resolvedAt: Timestamp, resolvedBy: ModerationPlayer, note: z.string().nullable() }),
});
export type ResolveReportResponse = z.infer<typeof ResolveReportResponse>;
