import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authenticated } from '../auth/guard.js';
import { serve } from '../http/route.js';
import { moderatorOnly } from '../moderation/guard.js';
import { openReports, resolveReport } from '../moderation/reports.js';

/** The moderators' view of chat reports (issue 26; route table: packages/shared/src/api/moderation-routes.ts). */
export const moderationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.mt;
  const moderator = { preHandler: [...authenticated(app), moderatorOnly(config.moderators)] };
  serve(app, 'moderation.reports', moderator, async () => openReports(db));
  serve(app, 'moderation.resolve', moderator, async (req) => resolveReport(db, req.playerId, req.params.id, req.body));
};
