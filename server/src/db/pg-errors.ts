/**
 * node-postgres reports its own connection failures (its timers, a socket that closed
 * under a query) as plain Errors without a `code`, so the API's error handler could not
 * tell them from a bug and answered 500. They are the database being unreachable: this
 * gives them a code that http/errors.ts's isDatabaseUnavailable() knows (503
 * `unavailable`, retry-after), keeping the driver's error as the cause for the logs.
 */
export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
  constructor(
    message: string,
    readonly code: 'ETIMEDOUT' | 'ECONNRESET',
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/** The driver's messages (pg 8 / pg-pool 3), each with what it means here. */
const DRIVER_FAILURES: ReadonlyArray<[string, DatabaseUnreachableError['code'], string]> = [
  ['timeout exceeded when trying to connect', 'ETIMEDOUT', 'no free database connection within the connect timeout'],
  ['Connection terminated due to connection timeout', 'ETIMEDOUT', 'database connect timeout'],
  ['Query read timeout', 'ETIMEDOUT', 'database query timeout (no answer)'],
  ['Connection terminated unexpectedly', 'ECONNRESET', 'database connection lost'],
  ['Client has encountered a connection error and is not queryable', 'ECONNRESET', 'database connection lost'],
];

/** The error to throw for `err`: a DatabaseUnreachableError for the driver's own connection failures, else `err`. */
export function classifyPgError(err: unknown): unknown {
  if (!(err instanceof Error) || (err as { code?: unknown }).code !== undefined) return err;
  const hit = DRIVER_FAILURES.find(([message]) => err.message === message);
  return hit ? new DatabaseUnreachableError(hit[2], hit[1], { cause: err }) : err;
}

/**
 * A failure after which the connection itself cannot be trusted (no answer, socket gone):
 * it is destroyed rather than returned to the pool, and no ROLLBACK is sent on it (that
 * would wait a whole query timeout more; Postgres rolls back a transaction whose
 * connection ends).
 */
export function isBrokenConnection(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof DatabaseUnreachableError || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT';
}

/**
 * Connection-level database failures (Postgres restarting, network, the pool's timeouts
 * in db/pg-errors.ts) and 57014, a statement Postgres cancelled at statement_timeout (an
 * overloaded or locked database, not a bad request): 503, not 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57014', '57P01', '57P02', '57P03', '53300'].includes(code) ||
    code.startsWith('08')
  );
}
