import type { ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyServerOptions } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { errorBody, errorStatus, type ErrorCode } from '@monkeytown/shared';
import { answerClientError, lacksHost, MISSING_HOST } from './raw-error.js';

/**
 * Errors raised below our routes — by Node's HTTP parser (bad request line, control
 * characters, headers over 16 KiB), by Fastify's router (bad percent-encoding, a path
 * parameter over maxParamLength) and for unrouted requests (404, 405) — answered in the
 * contract shape `{error:{code,message}}` with the status of the shared table, like
 * everything else the API says.
 */

/** Constructor options: spread into `Fastify({...})`. */
export const frameworkErrorOptions: Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> & { http: ServerOptions } = {
  // Node answers an HTTP/1.1 request without Host with an empty 400 before Fastify sees
  // it; requireHost (below) answers it in the contract shape instead.
  http: { requireHostHeader: false },
  frameworkErrors(err, _req, reply) {
    const code: ErrorCode =
      err.code === 'FST_ERR_BAD_URL' ? 'bad_request' : err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'uri_too_long' : 'internal';
    const message =
      code === 'bad_request' ? 'malformed URL: invalid percent-encoding' : code === 'uri_too_long' ? 'a path segment is too long' : 'internal error';
    void (reply as FastifyReply).status(errorStatus(code)).send(errorBody(code, message));
  },
  clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket) {
    const answered = answerClientError(err, socket);
    if (answered) this.log.debug({ code: answered }, 'client error');
  },
};

/**
 * 400 for an HTTP/1.1 request without Host (raw-error.ts). Call after the hook that sets
 * the security headers, so this answer carries them too.
 */
export function requireHost(app: FastifyInstance): void {
  app.addHook('onRequest', (req, reply, done) => {
    if (!lacksHost(req.raw)) return done();
    // Answered here: done() is not called, so no later hook or handler runs.
    void reply.status(errorStatus('bad_request')).header('connection', 'close').send(errorBody('bad_request', MISSING_HOST));
  });
}

/**
 * 404 for paths no route serves, 405 (with `Allow`) for a path served under other
 * methods. Call before the routes are registered: it watches them being added.
 */
export function installFrameworkErrors(app: FastifyInstance): void {
  // Fastify's router is private: a second, handler-less router of the same kind answers
  // "which methods serve this path?".
  const known = FindMyWay({ ignoreTrailingSlash: false });
  const methods = new Set<HTTPMethod>();
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const m = method.toUpperCase() as HTTPMethod;
      methods.add(m);
      try {
        known.on(m, route.url, () => {});
      } catch {
        // the same method+path twice (e.g. an exposed HEAD): one entry is enough
      }
    }
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    const allow = [...methods].filter((m) => m !== req.method && known.find(m, path));
    if (allow.length > 0) {
      return reply
        .status(errorStatus('method_not_allowed'))
        .header('allow', allow.join(', '))
        .send(errorBody('method_not_allowed', `${req.method} is not allowed on ${path} (allowed: ${allow.join(', ')})`));
    }
    return reply.status(errorStatus('not_found')).send(errorBody('not_found', `no route ${req.method} ${path}`));
  });
}
