import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authenticated } from '../auth/guard.js';
import type { Bus } from '../bus/types.js';
import type { StandingLookup } from '../games/commands/index.js';
import { liveRules } from '../games/commands/live-rules.js';
import type { ActionOutcome } from '../games/service.js';
import { serve } from '../http/route.js';

/** The outcome's response, with `idempotent-replayed: true` on a replay. */
function answer<T>(reply: FastifyReply, { response, replayed }: ActionOutcome<T>): T {
  if (replayed) reply.header('idempotent-replayed', 'true');
  return response;
}

/**
 * Live-game commands (issue 12): abort, offers (draw / takeback / rematch) and claim.
 * Each is one transaction on the game's locked row with the move path's guarantees:
 * expectedSeq (409 stale_seq), an optional Idempotency-Key (a replay answers with the
 * stored response and `idempotent-replayed: true`), 403 for non-players, and an event
 * on the game's topic. See docs/api.md "Live games"; route table: packages/shared/src/api.
 */
export const gameActionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { games, config } = app.mt;
  liveRules.claimAfterSeconds = config.claimAfterSeconds;
  // The token version is checked by the command pipeline, in the command's transaction.
  const auth = { preHandler: authenticated(app, { versionCheckedByWrite: true }) };

  serve(app, 'games.abort', auth, async (req, reply) =>
    answer(reply, await games.abort(req.playerId, req.params.id, req.body, req.headers['idempotency-key'], req.tokenVersion)));

  serve(app, 'games.offer', auth, async (req, reply) =>
    answer(reply, await games.offer(req.playerId, req.params.id, req.body, req.headers['idempotency-key'], req.tokenVersion)));

  serve(app, 'games.claim', auth, async (req, reply) => {
    // Presence lives on the bus (the event-stream replicas write it); the claim asks it
    // about its opponent by id. A bus without it (a test double) knows nobody: the
    // opponent counts as gone since the last change.
    const bus = app.mt.bus as Partial<Pick<Bus, 'standing'>>;
    const id = req.params.id;
    const lookup: StandingLookup = async (ids) => (bus.standing ? bus.standing(id, ids) : []);
    return answer(reply, await games.claim(req.playerId, id, req.body, lookup, req.headers['idempotency-key'], req.tokenVersion));
  });
};
