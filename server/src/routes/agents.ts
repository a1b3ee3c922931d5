import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { serve } from '../http/route.js';
import { leaderboard, listAgents } from '../players/service.js';

/** The troop and the leaderboard (route table: packages/shared/src/api). */
export const agentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.mt;

  serve(app, 'agents.list', {}, async () => ({ agents: await listAgents(db) }));

  serve(app, 'leaderboard.get', {}, async (req) => leaderboard(db, req.query.type, req.query.limit));
};
