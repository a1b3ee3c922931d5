import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CreatePlayerBody,
  CreatePlayerResponse,
  ErrorBody,
  PlayerIdParams,
  PlayerProfile,
  PlayerResponse,
  RenameBody,
  SignOutResponse,
} from '@monkeytown/shared';
import { authenticated } from '../auth/guard.js';
import type { Bus } from '../bus/types.js';
import { notFound } from '@monkeytown/shared';
import { createPlayer, playerProfile } from '../players/service.js';
import { renameGuest, revokeTokens } from '../players/identity.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };

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
    const token = await tokens.sign(player.id); // a new guest's token version is 0
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

  app.patch('/players/me', {
    schema: {
      tags: ['players'],
      summary: 'Rename yourself (same rules as choosing a name; a name shown for another recent guest gets a tag)',
      security: [{ bearer: [] }],
      body: RenameBody,
      response: { 200: PlayerResponse, ...errors },
    },
    preHandler: authenticated(app),
  }, async (req) => ({ player: await renameGuest(db, req.playerId, req.body.name) }));

  app.post('/players/me/sign-out', {
    schema: {
      tags: ['players'],
      summary: 'Sign out: every token of this guest stops working (a new guest is a new POST /players)',
      security: [{ bearer: [] }],
      response: { 200: SignOutResponse, ...errors },
    },
    preHandler: authenticated(app),
  }, async (req) => {
    const version = await revokeTokens(db, req.playerId);
    // The event-streams close the player's sockets (they have no database to ask). The
    // sign-out stands without it (every API route reads the version from Postgres, and a
    // claim ignores streams of older tokens): a failure here is only logged.
    const bus = app.mt.bus as Partial<Pick<Bus, 'signOut'>>;
    if (version !== null && bus.signOut) {
      await bus.signOut(req.playerId, version).catch((err: Error) => req.log.warn({ err: err.message }, 'sign-out not announced to the event-streams'));
    }
    return { signedOut: true as const };
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
