import { errorStatus, type ErrorCode } from './errors.js';

/** The API's codes (the shared table), plus `network` for a server the client could not reach. */
export type ClientErrorCode = ErrorCode | 'network';

/**
 * The one error class of Monkeytown, thrown by the server's domain code and by the browser
 * client alike: {error:{code,message,details?}} on the wire, its HTTP status taken from the
 * shared table (ERROR_STATUS) — a throw site names only the code. Callers decide by `code`,
 * never by `status`. `network` (status 0) is the client's own: the request never got an answer.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;

  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = code === 'network' ? 0 : errorStatus(code);
  }
}

export const notFound = (what: string) => new ApiError('not_found', `${what} not found`);
export const forbidden = (message: string) => new ApiError('forbidden', message);

/** 429 with `details.retryAfter` in whole seconds (a number, whichever limiter said no). */
export const rateLimited = (ttlMs: number) => {
  const retryAfter = Math.max(1, Math.ceil(ttlMs / 1000));
  return new ApiError('rate_limited', `rate limit exceeded, retry in ${retryAfter} s`, { retryAfter });
};
