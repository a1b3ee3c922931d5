import helmet from 'helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Helmet's default security headers, computed once at start and set on every response.
 * @fastify/helmet rebuilds helmet's middleware (parsing the CSP directives again) in two
 * onRequest hooks of every request: ~5 % of the game-server's HTTP edge for headers that
 * never change on an API that serves JSON. Helmet itself still decides what they are.
 * Routes that need another policy set their own header (the Swagger UI's CSP).
 */
export function securityHeaders(): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let failed: unknown;
  helmet()({} as never, res as never, (err?: unknown) => {
    failed = err;
  });
  if (failed) throw failed;
  return Object.freeze(headers);
}

/** One synchronous onRequest hook adding the headers (404s and errors get them too). */
export function installSecurityHeaders(app: FastifyInstance): void {
  const headers = securityHeaders();
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}
