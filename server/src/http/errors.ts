import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorCode } from '@monkeytown/shared';

/** An error the API answers with as-is: {error:{code,message,details?}} and `status`. */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'bad_request',
  406: 'bad_request',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
  503: 'unavailable',
};

export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * One error handler for everything: our ApiErrors, zod request validation, Fastify's
 * own client errors (bad JSON, wrong content type, body too large: FST_ERR_CTP_*) and
 * anything else with a 4xx statusCode. Only genuine server faults become 500, and
 * those are logged with the request id.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ApiError | Error, req, reply) => {
    if (err instanceof ApiError) {
      return reply.status(err.status).send(errorBody(err.code, err.message, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err as FastifyError).validationContext ?? 'request';
      const issues = err.validation.map((v) => ({
        path: [where, ...String(v.instancePath ?? '').split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'invalid',
      }));
      return reply
        .status(400)
        .send(errorBody('validation_failed', `invalid ${where}: ${issues[0]?.path} ${issues[0]?.message}`, { issues }));
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, 'response failed its schema');
      return reply.status(500).send(errorBody('internal', 'internal error'));
    }
    if (isDatabaseUnavailable(err)) {
      req.log.error({ err }, 'database unavailable');
      return reply.status(503).header('retry-after', '2').send(errorBody('unavailable', 'the database is unavailable; retry shortly'));
    }
    const fe = err as FastifyError;
    const status = fe.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = CODE_BY_STATUS[status] ?? 'bad_request';
      // Fastify's messages are safe to show (e.g. "Body is not valid JSON").
      return reply.status(status).send(errorBody(code, fe.message || code));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(status >= 500 && status < 600 ? status : 500).send(errorBody(status === 503 ? 'unavailable' : 'internal', 'internal error'));
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send(errorBody('not_found', `no route ${req.method} ${req.url.split('?')[0]}`));
  });
}

/** Connection-level database failures (Postgres restarting, network): 503, not 500. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300'].includes(code) ||
    code.startsWith('08')
  );
}
