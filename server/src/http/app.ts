import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Redis } from 'ioredis';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from './context.js';
import { rateLimited } from '@monkeytown/shared';
import { installErrorHandlers } from './errors.js';
import { frameworkErrorOptions, installFrameworkErrors, requireHost } from './framework-errors.js';
import { rateLimitStore } from './rate-limit-store.js';
import { accessLog, logStream } from './log.js';
import { durationRecorder } from '../plugins/metrics.js';
import { installSecurityHeaders } from './security-headers.js';
import { responseSerializerCompiler } from './serializer.js';
import { healthRoutes } from '../routes/health.js';
import { playerRoutes } from '../routes/players.js';
import { agentRoutes } from '../routes/agents.js';
import { gameRoutes } from '../routes/games.js';
import { gameActionRoutes } from '../routes/game-actions.js';
import { pgnRoutes } from '../routes/pgn.js';
import { reviewRoutes } from '../routes/review.js';
import { moderationRoutes } from '../routes/moderation.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The game-server's Fastify app: plugins (security, limits, docs, metrics), health
 * endpoints at the root, the REST API under /api. No listening, no loops: start.ts
 * owns the lifecycle.
 */
export async function buildApp(ctx: AppContext, opts: { rateLimitRedis?: Redis } = {}): Promise<FastifyInstance> {
  const { config } = ctx;
  const stream = logStream(config.logLevel);
  const app = Fastify({
    ...frameworkErrorOptions,
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization'],
      ...(stream ? { stream } : {}),
    },
    // The access log from onResponse (http/log.ts), not Fastify's two lines per request.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimit,
    // A client-supplied X-Request-Id is kept when it looks sane (tracing through nginx/ALB).
    requestIdHeader: false, // genReqId reads and vets the header itself
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler({ check: config.responseCheck }));
  app.decorate('mt', ctx);
  app.decorateRequest('playerId', '');
  installErrorHandlers(app);
  installFrameworkErrors(app);

  // Synchronous hooks (an async one costs a promise and a microtask per request).
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    // Draining: answer in-flight requests, then close their keep-alive sockets so
    // shutdown does not wait for idle timeouts (idle sockets are closed at once).
    if (!ctx.accepting) reply.header('connection', 'close');
    done(null, payload);
  });
  const observeDuration = durationRecorder(ctx.metrics);
  const access = accessLog(app.log, config.accessLog);
  app.addHook('onClose', (_app, done) => {
    access.close();
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    access.record(req, reply);
    observeDuration(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  installSecurityHeaders(app);
  requireHost(app);
  if (config.corsOrigin) {
    await app.register(cors, { origin: config.corsOrigin, credentials: false });
  }
  // Sliding windows, counted in memory and shared through Redis (a round trip only near a
  // limit or in a burst); one replica's counts without REDIS_URL. See rate-limit-store.ts.
  const limits = rateLimitStore({
    prefix: `${config.redisKeyPrefix}rl:`,
    ...(opts.rateLimitRedis ? { redis: opts.rateLimitRedis } : {}),
  });
  app.addHook('onClose', () => limits.close());
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimit.ipPerMin,
    timeWindow: 60_000,
    store: limits.Store,
    // A Redis outage must not take the API down with it: the store counts per replica then.
    skipOnError: true,
    allowList: (req) => req.url.startsWith('/health') || req.url === '/metrics',
    errorResponseBuilder: (_req, c) => rateLimited(c.ttl),
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Monkeytown game-server API',
        description: 'Players, agents, lobby, games, moves, events. Errors are {error:{code,message,details?}}.',
        version: '1.0.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
  });
  // Swagger UI applies one inline style at start; allow exactly that one (by hash) on the
  // docs pages, so /api/docs logs no CSP error. Everything else keeps helmet's policy.
  const docsStyle = "'unsafe-hashes' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    transformStaticCSP: (header) => header.replace("style-src 'self' https:", `style-src 'self' https: ${docsStyle}`),
  });

  await app.register(healthRoutes);
  await app.register(
    async (api) => {
      await api.register(playerRoutes);
      await api.register(agentRoutes);
      await api.register(gameRoutes);
      await api.register(gameActionRoutes);
      await api.register(pgnRoutes);
      await api.register(reviewRoutes);
      await api.register(moderationRoutes);
    },
    { prefix: '/api' },
  );
  return app;
}
