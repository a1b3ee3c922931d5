import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ChatBody,
  ChatResponse,
  CreateGameBody,
  ErrorBody,
  EventsQuery,
  EventsResponse,
  GameIdParams,
  GameResponse,
  ListGamesQuery,
  ListGamesResponse,
  MoveBody,
  MoveResponse,
} from '@monkeytown/shared';
import { authenticated } from '../auth/guard.js';
import { notFound } from '@monkeytown/shared';
import { listEvents, listGames } from '../games/queries.js';

export const errors = {
  400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody,
  415: ErrorBody, 422: ErrorBody, 429: ErrorBody,
};

/** Idempotency-Key: printable ASCII, no spaces (UUIDs, ULIDs, random strings). */
export const MoveHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, 'Idempotency-Key must be 1..128 printable ASCII characters')
    .optional(),
});

export const gameRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, games } = app.mt;
  const auth = authenticated(app);
  // Moves, creations and joins check the token version inside the statement that writes
  // them (no read per request); the other routes read it first.
  const writeAuth = authenticated(app, { versionCheckedByWrite: true });
  const bearer = [{ bearer: [] }];

  app.get('/games', {
    schema: {
      tags: ['games'],
      summary: 'Lobby: games by most recent activity, cursor-paged',
      querystring: ListGamesQuery,
      response: { 200: ListGamesResponse, 400: ErrorBody },
    },
  }, async (req) => listGames(db, req.query));

  app.post('/games', {
    schema: {
      tags: ['games'],
      summary: 'Create a game against an agent or with an open seat',
      security: bearer,
      body: CreateGameBody,
      response: { 201: GameResponse, ...errors },
    },
    preHandler: writeAuth,
  }, async (req, reply) => reply.status(201).send({ game: await games.create(req.playerId, req.body, req.tokenVersion) }));

  app.get('/games/:id', {
    schema: {
      tags: ['games'],
      summary: 'Game snapshot: seq, players, public state, legal moves, result',
      params: GameIdParams,
      response: { 200: GameResponse, 400: ErrorBody, 404: ErrorBody },
    },
  }, async (req) => {
    const game = await games.get(req.params.id);
    // Spectators are counted by the event-stream replicas (presence on the bus).
    const bus = app.mt.bus as { spectatorCount?: (id: string) => Promise<number> };
    if (bus.spectatorCount) game.spectators = await bus.spectatorCount(game.id).catch(() => 0);
    return { game };
  });

  app.post('/games/:id/join', {
    schema: {
      tags: ['games'],
      summary: 'Take the open seat of a game',
      security: bearer,
      params: GameIdParams,
      response: { 200: GameResponse, ...errors },
    },
    preHandler: writeAuth,
  }, async (req) => ({ game: await games.join(req.playerId, req.params.id, req.tokenVersion) }));

  app.post('/games/:id/moves', {
    schema: {
      tags: ['games'],
      summary: 'Make a move (expectedSeq = the seq you last saw; optional Idempotency-Key header)',
      security: bearer,
      params: GameIdParams,
      headers: MoveHeaders,
      body: MoveBody,
      response: { 200: MoveResponse, ...errors },
    },
    preHandler: writeAuth,
  }, async (req, reply) => {
    const { response, replayed } = await games.move(req.playerId, req.params.id, req.body.move, req.body.expectedSeq, {
      idempotencyKey: req.headers['idempotency-key'], tokenVersion: req.tokenVersion,
    });
    if (replayed) reply.header('idempotent-replayed', 'true');
    return response;
  });

  app.post('/games/:id/resign', {
    schema: {
      tags: ['games'],
      summary: 'Resign (or cancel your open game)',
      security: bearer,
      params: GameIdParams,
      response: { 200: GameResponse, ...errors },
    },
    preHandler: auth,
  }, async (req) => ({ game: await games.resign(req.playerId, req.params.id) }));

  app.post('/games/:id/chat', {
    schema: {
      tags: ['games'],
      summary: 'Say something in the game chat (players and spectators)',
      security: bearer,
      params: GameIdParams,
      body: ChatBody,
      response: { 201: ChatResponse, ...errors },
    },
    preHandler: auth,
  }, async (req, reply) => reply.status(201).send(await games.chat(req.playerId, req.params.id, req.body.text)));

  app.get('/games/:id/events', {
    schema: {
      tags: ['games'],
      summary: 'Events after a sequence number, in order (replays, resync)',
      params: GameIdParams,
      querystring: EventsQuery,
      response: { 200: EventsResponse, 400: ErrorBody, 404: ErrorBody },
    },
  }, async (req) => {
    const events = await listEvents(db, req.params.id, req.query.after, req.query.limit);
    if (!events) throw notFound('game');
    return { events };
  });
};
