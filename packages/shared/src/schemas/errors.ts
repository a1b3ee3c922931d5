import { z } from 'zod';

/**
 * The one error vocabulary of Monkeytown: every code the API, the web proxy and the event
 * stream answer with, and the HTTP status it always travels with. A throw site names only
 * the code; the status comes from here (server, web proxy, tests and docs/api.md agree).
 */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_your_turn: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  stale_seq: 409,
  game_over: 409,
  game_full: 409,
  name_unavailable: 409,
  /** Issue 12: accept/decline/cancel of an offer that is not open (answered, lapsed, never made). */
  no_offer: 409,
  /** Issue 12: abort after both sides moved. */
  not_abortable: 409,
  /** Issue 12: claim while the opponent is still here, or not gone long enough. */
  not_claimable: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  illegal_move: 422,
  not_supported: 422,
  idempotency_key_reused: 422,
  rate_limited: 429,
  /** Issue 26: a player's chat lines come too fast (the per-player chat limit). */
  chat_rate_limited: 429,
  /** Issue 26: a player's chat reports come too fast. */
  report_rate_limited: 429,
  headers_too_large: 431,
  internal: 500,
  unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Machine-readable error codes shared by REST and WebSocket. */
export const ErrorCode = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

/** The HTTP status of an error code. */
export const errorStatus = (code: ErrorCode): number => ERROR_STATUS[code];

// For errors raised below our code (HTTP parser, router, body parser, proxies) that only
// carry a status: the code that status means. Statuses outside the table fold into the
// nearest general code, whose own status is then used, so a code and its status never disagree.
const CODE_OF_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'not_supported',
  429: 'rate_limited',
  431: 'headers_too_large',
  500: 'internal',
  503: 'unavailable',
};

/** The code for a bare HTTP status: its own when the table has one, else bad_request (4xx) or internal. */
export function errorCodeForStatus(status: number): ErrorCode {
  return CODE_OF_STATUS[status] ?? (status >= 400 && status < 500 ? 'bad_request' : status === 502 || status === 504 ? 'unavailable' : 'internal');
}

/** Every error the API or the event stream returns has this shape (BRIEF §4). */
export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** `{error:{code,message,details?}}` for a code. */
export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
