import type { FastifyRequest, preHandlerHookHandler } from 'fastify';
import { ApiError } from '@monkeytown/shared';

/**
 * preHandler after `authenticated`: the player must be one of the moderators the
 * MODERATORS setting names (player ids; a name would not do: guests choose their names).
 * Anyone else hears 403 `forbidden`, before anything is read.
 */
export function moderatorOnly(moderators: ReadonlySet<string>): preHandlerHookHandler {
  return async (req: FastifyRequest) => {
    if (!moderators.has(req.playerId)) throw new ApiError('forbidden', 'only moderators can see and close chat reports');
  };
}
