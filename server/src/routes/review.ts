import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError } from '@monkeytown/shared';
import { serve } from '../http/route.js';
import { readReview, requestReview } from '../reviews/store.js';

/**
 * GET /api/games/:id/review — the post-game review (issue 27): `done` with the review,
 * `pending` while it is computed (asking queues it, e.g. for a game older than the
 * automatic queue), `failed` when it could not be. Asking again never recomputes.
 */
export const reviewRoutes: FastifyPluginAsyncZod = async (app) => {
  const { games, db } = app.mt;
  serve(app, 'games.review', {}, async (req) => {
    const game = await games.get(req.params.id);
    if (game.status !== 'finished') throw new ApiError('conflict', 'The review comes when the game is over', { status: game.status });
    const row = await readReview(db, game.id);
    if (row?.status === 'done') return { status: 'done' as const, review: row.review };
    if (row?.status === 'failed') return { status: 'failed' as const, message: row.error };
    if (!row) {
      await requestReview(db, game.id);
      app.mt.reviews?.kick();
    }
    return { status: 'pending' as const };
  });
};
