import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireAuth on ★ routes: the player the bearer token names. */
    playerId: string;
  }
}

/**
 * preHandler for ★ routes: a valid bearer token whose player exists (a token from a
 * wiped database is refused with 401 rather than failing later on a foreign key).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function requireAuth(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_\-.]{10,2048})$/.exec(header.trim()) : null;
  if (!m) throw new ApiError(401, 'unauthorized', 'missing bearer token (Authorization: Bearer <token>)');
  const { tokens, db } = req.server.mt;
  const playerId = await tokens.verify(m[1]!);
  if (!playerId || !UUID.test(playerId)) throw new ApiError(401, 'unauthorized', 'invalid or expired token');
  const { rowCount } = await db.query("SELECT 1 FROM players WHERE id = $1 AND kind = 'human'", [playerId]);
  if (rowCount === 0) throw new ApiError(401, 'unauthorized', 'unknown player: create a new guest');
  req.playerId = playerId;
}
