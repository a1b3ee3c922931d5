import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AgentsResponse, ErrorBody, LeaderboardQuery, LeaderboardResponse } from '@monkeytown/shared';
import { leaderboard, listAgents } from '../players/service.js';

export const agentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.mt;

  app.get('/agents', {
    schema: { tags: ['agents'], summary: 'The Monkeytown troop', response: { 200: AgentsResponse } },
  }, async () => ({ agents: await listAgents(db) }));

  app.get('/leaderboard', {
    schema: {
      tags: ['agents'],
      summary: 'Established ratings (Glicko-2, RD ≤ 110) of one game type, best first, agents included; provisional players are not listed and ranks count the listed players',
      querystring: LeaderboardQuery,
      response: { 200: LeaderboardResponse, 400: ErrorBody },
    },
  }, async (req) => leaderboard(db, req.query.type, req.query.limit));
};
