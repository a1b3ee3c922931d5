import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '@monkeytown/shared';
import { authenticated } from '../auth/guard.js';
import { serve } from '../http/route.js';
import { listEvents, listGames } from '../games/queries.js';
import { chatLimit } from '../chat/limits.js';
import { reportChat } from '../chat/reports.js';

/** The lobby, creation, joining, moves, resignation, chat (and its reports) and a game's events (route table: packages/shared/src/api). */
export const gameRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, games } = app.mt;
  const auth = { preHandler: authenticated(app) };
  // Every write to a game checks the token version in the command pipeline (a batched
  // one inside the statement that writes it, a rare one in its transaction): once, there.
  // A report is not a game write: its guard reads the version first.
  const writeAuth = { preHandler: authenticated(app, { versionCheckedByWrite: true }) };

  serve(app, 'games.list', {}, async (req) => listGames(db, req.query));

  serve(app, 'games.create', writeAuth, async (req) => ({ game: await games.create(req.playerId, req.body, req.tokenVersion) }));

  serve(app, 'games.get', {}, async (req) => {
    const game = await games.get(req.params.id);
    // Spectators are counted by the event-stream replicas (presence on the bus).
    const bus = app.mt.bus as { spectatorCount?: (id: string) => Promise<number> };
    if (bus.spectatorCount) game.spectators = await bus.spectatorCount(game.id).catch(() => 0);
    return { game };
  });

  serve(app, 'games.join', writeAuth, async (req) => ({ game: await games.join(req.playerId, req.params.id, req.tokenVersion) }));

  serve(app, 'games.move', writeAuth, async (req, reply) => {
    const { response, replayed } = await games.move(req.playerId, req.params.id, req.body.move, req.body.expectedSeq, {
      idempotencyKey: req.headers['idempotency-key'], tokenVersion: req.tokenVersion,
    });
    if (replayed) reply.header('idempotent-replayed', 'true');
    return response;
  });

  serve(app, 'games.resign', writeAuth, async (req) => ({ game: await games.resign(req.playerId, req.params.id, req.tokenVersion) }));

  // Chat manners (issue 26): a player's own chat and report limits after the ★ ones.
  const chatAuth = { preHandler: [...writeAuth.preHandler, chatLimit(app, 'chat')] };
  serve(app, 'games.chat', chatAuth, async (req) => games.chat(req.playerId, req.params.id, req.body.text, req.tokenVersion));

  const reportAuth = { preHandler: [...auth.preHandler, chatLimit(app, 'report')] };
  serve(app, 'games.report', reportAuth, async (req) => reportChat(db, req.playerId, req.params.id, req.body));

  serve(app, 'games.events', {}, async (req) => {
    const events = await listEvents(db, req.params.id, req.query.after, req.query.limit);
    if (!events) throw notFound('game');
    return { events };
  });
};
