import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type {} from '@fastify/rate-limit'; // app.createRateLimit
import { ApiError, type ErrorCode } from '@monkeytown/shared';
import type {} from '../auth/guard.js'; // req.playerId
import type {} from '../http/context.js'; // app.mt

/**
 * Chat manners (issue 26): per-player limits on chat lines and reports, on top of the
 * per-player limit of every ★ route. They use the same sliding-window store as the other
 * limits (http/rate-limit-store.ts), so with REDIS_URL the replicas share the counts
 * within the documented overshoot (docs/api.md, Operations).
 */
type Limiter = ReturnType<FastifyInstance['createRateLimit']>;
interface Limit { limiter: Limiter; code: ErrorCode; what: string }
const made = new WeakMap<object, { chat: Limit[]; report: Limit[] }>();

function limits(app: FastifyInstance) {
  let l = made.get(app.mt);
  if (!l) {
    const s = app.mt.config.chatLimits;
    const limit = (key: string, max: number, timeWindow: number, code: ErrorCode, what: string): Limit => ({
      limiter: app.createRateLimit({ max, timeWindow, keyGenerator: (req) => `${key}:${req.playerId}` }), code, what,
    });
    l = {
      chat: [
        limit('chat10s', s.burstPer10s, 10_000, 'chat_rate_limited', `at most ${s.burstPer10s} chat messages in 10 seconds`),
        limit('chat1m', s.perMin, 60_000, 'chat_rate_limited', `at most ${s.perMin} chat messages a minute`),
      ],
      report: [limit('report1h', s.reportsPerHour, 3_600_000, 'report_rate_limited', `at most ${s.reportsPerHour} reports an hour`)],
    };
    made.set(app.mt, l);
  }
  return l;
}

/** The preHandler that admits a chat line (`chat`) or a report (`report`) within the player's limits; run after the token check. */
export function chatLimit(app: FastifyInstance, which: 'chat' | 'report'): preHandlerHookHandler {
  const check = async (req: FastifyRequest) => {
    for (const { limiter, code, what } of limits(app)[which]) {
      const r = await limiter(req);
      if (!r.isAllowed && r.isExceeded) {
        const retryAfter = Math.max(1, Math.ceil(r.ttl / 1000));
        const doing = which === 'chat' ? 'sending chat messages' : 'reporting';
        throw new ApiError(code, `slow down: you are ${doing} too fast (${what}); try again in ${retryAfter} s`, { retryAfter });
      }
    }
  };
  return check as preHandlerHookHandler;
}
