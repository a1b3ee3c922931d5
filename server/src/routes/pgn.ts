import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, engineFor, loadEngine } from '@monkeytown/shared';
import { serve } from '../http/route.js';
import { recordTags } from '../records/tags.js';
import { siteUrl } from '../records/site-url.js';
import { withReview } from '../records/review-comments.js';
import { readReview } from '../reviews/store.js';

/**
 * GET /api/games/:id/pgn — a game's standard record (its engine's `record` hook: chess
 * writes PGN), for download (the replay page's button) or any program that reads it. For
 * chess a game in progress ends in "*"; a resignation is scored from the game's result,
 * not the board. The tags and the monkeys' reasons come from records/tags.ts, the post-game
 * review's words once it is done (records/review-comments.ts). A game
 * without a record format is 422 not_supported.
 */
export const pgnRoutes: FastifyPluginAsyncZod = async (app) => {
  const { games, db, config } = app.mt;
  serve(app, 'games.pgn', {}, async (req, reply) => {
    const game = await games.get(req.params.id);
    const record = engineFor(game.type)?.record;
    if (!record) {
      throw new ApiError('not_supported', `PGN is for chess games; this one is ${game.type}`, { type: game.type });
    }
    await loadEngine(game.type); // chess.js writes the PGN; loaded on first need
    const [tags, review] = await Promise.all([recordTags(db, game, siteUrl(req, config.publicUrl)), readReview(db, game.id)]);
    const comments = withReview(tags.comments ?? [], review?.status === 'done' ? review.review : null);
    const text = record.write(game.state, { ...tags, comments });
    return reply
      .type(`${record.mime}; charset=utf-8`)
      .header('content-disposition', `attachment; filename="monkeytown-${game.id}.${record.extension}"`)
      .send(text);
  });
};
