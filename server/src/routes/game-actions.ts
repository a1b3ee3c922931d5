import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ActionBody, ClaimBody, GameIdParams, GameResponse, OfferBody, OfferResponse } from '@monkeytown/shared';
import { authenticated } from '../auth/guard.js';
import type { PlayerPresence } from '../bus/types.js';
import { ApiError } from '../http/errors.js';
import { liveRules } from '../games/actions/rules.js';
import { errors, MoveHeaders } from './games.js';

/**
 * Live-game commands (issue 12): abort, offers (draw / takeback / rematch) and claim.
 * Each is one transaction on the game's locked row with the move path's guarantees:
 * expectedSeq (409 stale_seq), an optional Idempotency-Key (a replay answers with the
 * stored response and `idempotent-replayed: true`), 403 for non-players, and an event
 * on the game's topic. See docs/api.md "Live games".
 */
export const gameActionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { games, config } = app.mt;
  liveRules.claimAfterSeconds = config.claimAfterSeconds;
  const auth = authenticated(app);
  const bearer = [{ bearer: [] }];
  const common = { tags: ['games'], security: bearer, params: GameIdParams, headers: MoveHeaders };
  const replayedHeader = (replayed: boolean, reply: { header(k: string, v: string): unknown }) => {
    if (replayed) reply.header('idempotent-replayed', 'true');
  };

  app.post('/games/:id/abort', {
    schema: {
      ...common,
      summary: 'Abort a game before both sides moved (fewer than two moves): unrated',
      body: ActionBody,
      response: { 200: GameResponse, ...errors },
    },
    preHandler: auth,
  }, async (req, reply) => {
    const { response, replayed } = await games.abort(req.playerId, req.params.id, req.body, req.headers['idempotency-key']);
    replayedHeader(replayed, reply);
    return response;
  });

  app.post('/games/:id/offers', {
    schema: {
      ...common,
      summary: 'Offer, accept, decline or cancel a draw, a takeback or a rematch',
      body: OfferBody,
      response: { 200: OfferResponse, ...errors },
    },
    preHandler: auth,
  }, async (req, reply) => {
    const { response, replayed } = await games.offer(req.playerId, req.params.id, req.body, req.headers['idempotency-key']);
    replayedHeader(replayed, reply);
    return response;
  });

  app.post('/games/:id/claim', {
    schema: {
      ...common,
      summary: 'Claim the win or a draw when the opponent has been gone claimAfterSeconds',
      body: ClaimBody,
      response: { 200: GameResponse, ...errors },
    },
    preHandler: auth,
  }, async (req, reply) => {
    // Presence lives on the bus (the event-stream replicas write it); a bus without it
    // (a test double) knows nobody, so the opponent counts as gone since the last change.
    const bus = app.mt.bus as { playerPresence?: (id: string) => Promise<PlayerPresence[]> };
    const presence = bus.playerPresence
      ? await bus.playerPresence(req.params.id).catch(() => {
        throw new ApiError('unavailable', 'player presence is unavailable right now; retry shortly');
      })
      : [];
    const { response, replayed } = await games.claim(req.playerId, req.params.id, req.body, presence, req.headers['idempotency-key']);
    replayedHeader(replayed, reply);
    return response;
  });
};
