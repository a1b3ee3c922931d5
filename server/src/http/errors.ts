import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ApiError, errorBody, errorCodeForStatus, errorStatus } from '@monkeytown/shared';
import { isDatabaseUnavailable } from '../db/pg-errors.js';

/**
 * One error handler for everything: our ApiErrors, zod request validation, Fastify's
 * own client errors (bad JSON, wrong content type, body too large: FST_ERR_CTP_*) and
 * anything else with a 4xx statusCode. Only genuine server faults become 500, and
 * those are logged with the request id.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ApiError | Error, req, reply) => {
    if (err instanceof ApiError && err.code !== 'network') {
      // Every limit (the request limits, chat's and reports') says when to come back.
      if (err.status === 429) reply.header('retry-after', String((err.details as { retryAfter: number }).retryAfter));
      return reply.status(err.status).send(errorBody(err.code, err.message, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err as FastifyError).validationContext ?? 'request';
      const issues = err.validation.map((v) => ({
        path: [where, ...String(v.instancePath ?? '').split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'invalid',
      }));
      return reply
        .status(errorStatus('validation_failed'))
        .send(errorBody('validation_failed', `invalid ${where}: ${issues[0]?.path} ${issues[0]?.message}`, { issues }));
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, 'response failed its schema');
      return reply.status(500).send(errorBody('internal', 'internal error'));
    }
    if (isDatabaseUnavailable(err)) {
      req.log.error({ err }, 'database unavailable');
      return reply.status(errorStatus('unavailable')).header('retry-after', '2').send(errorBody('unavailable', 'the database is unavailable; retry shortly'));
    }
    const status = (err as FastifyError).statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = errorCodeForStatus(status);
      // Fastify's messages are safe to show (e.g. "Body is not valid JSON").
      return reply.status(errorStatus(code)).send(errorBody(code, err.message || code));
    }
    req.log.error({ err }, 'unhandled error');
    const code = status === 503 ? 'unavailable' : 'internal';
    return reply.status(errorStatus(code)).send(errorBody(code, 'internal error'));
  });
}
