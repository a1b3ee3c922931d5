import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '@monkeytown/shared';
import { authenticated } from '../auth/guard.js';
import type { Bus } from '../bus/types.js';
import { serve } from '../http/route.js';
import { createPlayer, playerProfile } from '../players/service.js';
import { renameGuest, revokeTokens } from '../players/identity.js';

/** Guests: creation, profile, rename, sign-out (route table: packages/shared/src/api). */
export const playerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, tokens, config } = app.mt;
  const auth = { preHandler: authenticated(app) };

  serve(app, 'players.create', {
    config: { rateLimit: { max: config.rateLimit.createPlayerPerMin, timeWindow: 60_000 } },
  }, async (req) => {
    const player = await createPlayer(db, req.body.name);
    const token = await tokens.sign(player.id); // a new guest's token version is 0
    return { player, token };
  });

  serve(app, 'players.me', auth, async (req) => {
    const profile = await playerProfile(db, req.playerId);
    if (!profile) throw notFound('player');
    return profile;
  });

  serve(app, 'players.rename', auth, async (req) => ({ player: await renameGuest(db, req.playerId, req.body.name) }));

  serve(app, 'players.signOut', auth, async (req) => {
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

  serve(app, 'players.get', {}, async (req) => {
    const profile = await playerProfile(db, req.params.id);
    if (!profile) throw notFound('player');
    return profile;
  });
};
