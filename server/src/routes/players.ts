import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CreatePlayerBody, CreatePlayerResponse, ErrorBody, PlayerIdParams, PlayerProfile } from '@monkeytown/shared';
import { authenticated } from '../auth/guard.js';
import { notFound } from '../http/errors.js';
import { createPlayer, playerProfile } from '../players/service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 429: ErrorBody };

export const playerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, tokens, config } = app.mt;

  app.post('/players', {
    schema: {
      tags: ['players'],
      summary: 'Create a guest player and get its bearer token',
      body: CreatePlayerBody,
      response: { 201: CreatePlayerResponse, ...errors },
    },
    config: { rateLimit: { max: config.rateLimit.createPlayerPerMin, timeWindow: 60_000 } },
  }, async (req, reply) => {
    const player = await createPlayer(db, req.body.name);
    const token = await tokens.sign(player.id);
    return reply.status(201).send({ player, token });
  });

  app.get('/players/me', {
    schema: {
      tags: ['players'],
      summary: 'The player the token belongs to: profile, ratings, recent games',
      security: [{ bearer: [] }],
      response: { 200: PlayerProfile, ...errors },
    },
    preHandler: authenticated(app),
  }, async (req) => {
    const profile = await playerProfile(db, req.playerId);
    if (!profile) throw notFound('player');
    return profile;
  });

  app.get('/players/:id', {
    schema: {
      tags: ['players'],
      summary: 'A player profile: ratings and recent games',
      params: PlayerIdParams,
      response: { 200: PlayerProfile, ...errors },
    },
  }, async (req) => {
    const profile = await playerProfile(db, req.params.id);
    if (!profile) throw notFound('player');
    return profile;
  });
};
