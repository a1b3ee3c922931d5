import { z } from 'zod';
import { AgentId, Seat } from './games.js';

/**
 * A post-game review (issue 27): computed once after a game ends, in the AI worker
 * threads, stored by game id and served with the replay. The method is in docs/ai.md.
 */
export const ReviewMomentKind = z.enum(['blunder', 'mistake', 'inaccuracy', 'missed-win']);
export type ReviewMomentKind = z.infer<typeof ReviewMomentKind>;

export const ReviewMoment = z.object({
  /** The ply (1 = the first move of the game) whose move the moment is about. */
  ply: z.number().int().min(1),
  seat: Seat,
  kind: ReviewMomentKind,
  /** This move decided the game (the evaluation curve crossed for good here). */
  turningPoint: z.boolean(),
  /** The move as played, as a player writes it ("14. Nxe5", "column 3"). */
  played: z.string(),
  /** The search's better move and its line from the same position. */
  better: z.string(),
  betterLine: z.array(z.string()),
  /** How much of the mover's winning chance the move gave away (0..1). */
  loss: z.number().min(0).max(1),
  /** The reviewing monkey's words about it. */
  text: z.string(),
});
export type ReviewMoment = z.infer<typeof ReviewMoment>;

export const ReviewPly = z.object({
  ply: z.number().int().min(1),
  seat: Seat,
  played: z.string(),
  best: z.string(),
  /** The mover's winning chance lost by this move (0..1; 0 when it was the best move). */
  loss: z.number().min(0).max(1),
  /** Move accuracy, 0..100 (docs/ai.md). */
  accuracy: z.number().min(0).max(100),
});
export type ReviewPly = z.infer<typeof ReviewPly>;

export const ReviewPlayer = z.object({
  seat: Seat,
  /** Mean of the move accuracies, 0..100; null when the side made no move. */
  accuracy: z.number().min(0).max(100).nullable(),
  blunders: z.number().int().min(0),
  mistakes: z.number().int().min(0),
  inaccuracies: z.number().int().min(0),
});
export type ReviewPlayer = z.infer<typeof ReviewPlayer>;

export const GameReview = z.object({
  reviewer: z.object({ agentId: AgentId, name: z.string() }),
  /** Seat 0's winning chance in percent after each ply (index 0: the start position). */
  curve: z.array(z.number().min(0).max(100)),
  /** The deciding moments, in game order. */
  moments: z.array(ReviewMoment),
  /** The ply of the turning point, or null when the game never tipped. */
  turningPoint: z.number().int().min(1).nullable(),
  players: z.tuple([ReviewPlayer, ReviewPlayer]),
  plies: z.array(ReviewPly),
  /** One line in the reviewer's voice about the whole game. */
  summary: z.string(),
  /** The search effort per position (nodes; tic-tac-toe: exact). */
  method: z.string(),
});
export type GameReview = z.infer<typeof GameReview>;

/** GET /api/games/:id/review: `pending` while the troop is still looking at the game. */
export const ReviewResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending') }),
  z.object({ status: z.literal('failed'), message: z.string() }),
  z.object({ status: z.literal('done'), review: GameReview }),
]);
export type ReviewResponse = z.infer<typeof ReviewResponse>;
