import type { FastifyPluginAsync } from 'fastify';

/** Liveness, readiness and Prometheus metrics (outside /api, not in the OpenAPI document). */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  const { db, bus, metrics, config } = app.mt;
  const hide = { schema: { hide: true } };

  app.get('/health/live', hide, async () => ({ status: 'ok' }));

  app.get('/health/ready', hide, async (_req, reply) => {
    const timeout = <T>(p: Promise<T>, fallback: T) =>
      Promise.race([p, new Promise<T>((r) => setTimeout(() => r(fallback), 2000).unref())]);
    const [dbOk, busOk] = await Promise.all([
      timeout(db.query('SELECT 1').then(() => true, () => false), false),
      timeout(bus.ping().catch(() => false), false),
    ]);
    const ok = dbOk && busOk && app.mt.accepting;
    return reply.status(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'unavailable',
      checks: { db: dbOk, bus: busOk, accepting: app.mt.accepting },
    });
  });

  if (config.metrics) {
    app.get('/metrics', hide, async (_req, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    });
  }
};
