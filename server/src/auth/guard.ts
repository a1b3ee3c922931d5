import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { ApiError, rateLimited } from '@monkeytown/shared';
import { assertTokenCurrent } from './signed-out.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireAuth on ★ routes: the player the bearer token names. */
    playerId: string;
    /** The token version the bearer token carries (sign-out bumps the player's). */
    tokenVersion: number;
  }
}


/**
 * preHandler for ★ routes: a valid bearer token whose player exists (a token from a
 * wiped database is refused with 401 rather than failing later on a foreign key).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function requireAuth(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireToken(req, reply);
  // Read on every request (the token cache only saves the signature check).
  await assertTokenCurrent(req.server.mt.db, req.playerId, req.tokenVersion);
}

/**
 * The signature and expiry only, no database read: for routes whose write checks the
 * token version itself, in the same statement (moves: games/pipeline/write.ts refuses a
 * move whose token was signed out, and the batcher answers it 401). Revocation stays
 * immediate on every replica; the move path saves a round trip per request.
 */
export async function requireToken(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_\-.]{10,2048})$/.exec(header.trim()) : null;
  if (!m) throw new ApiError('unauthorized', 'missing bearer token (Authorization: Bearer <token>)');
  const claims = await req.server.mt.tokens.claims(m[1]!);
  if (!claims || !UUID.test(claims.playerId)) throw new ApiError('unauthorized', 'invalid or expired token');
  req.playerId = claims.playerId;
  req.tokenVersion = claims.version;
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;
const limiters = new WeakMap<object, Limiter>();

/**
 * preHandlers of every ★ route: the bearer token, then the per-player rate limit. One
 * limiter (one counter per player) is shared by all ★ routes of an app; it runs after
 * authentication, on top of the per-IP limit every route has.
 */
export function authenticated(app: FastifyInstance, opts: { versionCheckedByWrite?: boolean } = {}): preHandlerHookHandler[] {
  let limiter = limiters.get(app.mt);
  if (!limiter) {
    limiter = app.createRateLimit({
      max: app.mt.config.rateLimit.playerPerMin,
      timeWindow: 60_000,
      keyGenerator: (req) => `player:${req.playerId}`,
    });
    limiters.set(app.mt, limiter);
  }
  const check = limiter;
  const perPlayer = async (req: FastifyRequest) => {
    const r = await check(req);
    if (!r.isAllowed && r.isExceeded) throw rateLimited(r.ttl);
  };
  const auth = opts.versionCheckedByWrite ? requireToken : requireAuth;
  return [auth as preHandlerHookHandler, perPlayer as preHandlerHookHandler];
}
