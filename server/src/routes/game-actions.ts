import type { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ActionBody, ClaimBody, GameIdParams, GameResponse, OfferBody, OfferResponse } from '@monkeytown/shared';
import { authenticated } from '../auth/guard.js';
import type { Bus } from '../bus/types.js';
import type { StandingLookup } from '../games/commands/index.js';
import { liveRules } from '../games/actions/rules.js';
import type { ActionOutcome } from '../games/service.js';
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
  /** One command route: the shared schema, auth, and the `idempotent-replayed` header on replays. */
  const command = <B extends z.ZodTypeAny>(
    name: string, summary: string, body: B, response: z.ZodTypeAny,
    run: (playerId: string, gameId: string, body: z.infer<B>, key: string | undefined) => Promise<ActionOutcome<unknown>>,
  ) =>
    app.post(`/games/:id/${name}`, {
      schema: { ...common, summary, body, response: { 200: response, ...errors } },
      preHandler: auth,
    }, async (req, reply) => {
      const { response: out, replayed } = await run(req.playerId, req.params.id, req.body as z.infer<B>, req.headers['idempotency-key']);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return out;
    });

  command('abort', 'Abort a game before both sides moved (fewer than two moves): unrated', ActionBody, GameResponse,
    (playerId, id, body, key) => games.abort(playerId, id, body, key));

  command('offers', 'Offer, accept, decline or cancel a draw, a takeback or a rematch', OfferBody, OfferResponse,
    (playerId, id, body, key) => games.offer(playerId, id, body, key));

  command('claim', 'Claim the win or a draw when the opponent has been gone claimAfterSeconds', ClaimBody, GameResponse,
    async (playerId, id, body, key) => {
      // Presence lives on the bus (the event-stream replicas write it); the claim asks it
      // about its opponent by id. A bus without it (a test double) knows nobody: the
      // opponent counts as gone since the last change.
      const bus = app.mt.bus as Partial<Pick<Bus, 'standing'>>;
      const lookup: StandingLookup = async (ids) => (bus.standing ? bus.standing(id, ids) : []);
      return games.claim(playerId, id, body, lookup, key);
    });
};
