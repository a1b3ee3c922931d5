import { z } from 'zod';
import { ERROR_STATUS, type ErrorCode } from '../schemas/errors.js';

/**
 * One REST route of the game-server, declared once: the server registers it from this
 * entry (schemas, OpenAPI entry), the browser client builds its URL and parses its answer
 * from it. `path` is under /api, with `:name` for path parameters.
 */
export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly path: `/${string}`;
  readonly summary: string;
  readonly tags: readonly string[];
  /** Reads `Authorization: Bearer <token>` (★ in docs/api.md). */
  readonly auth: boolean;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  /** Headers the route reads besides Authorization (e.g. Idempotency-Key). */
  readonly headers?: z.ZodObject;
  readonly body?: z.ZodType;
  /** The success answer: its status and schema; `produces` for a body that is not JSON. */
  readonly response: { readonly status: 200 | 201; readonly schema: z.ZodType; readonly produces?: readonly string[] };
  /** Every error code the route answers with once routed (the statuses come from ERROR_STATUS). */
  readonly errors: readonly ErrorCode[];
}

/** Keeps a route's literal types (the client's inputs and outputs are derived from them). */
export const defineRoute = <const R extends RouteSpec>(route: R): R => route;

/**
 * Error groups a route's list is built from (spread them, then add the route's own codes).
 * What Node's parser and Fastify's router answer before a route is chosen (malformed URL,
 * 414, 431, 408, unknown path, 405) belongs to no route: docs/api.md, Errors.
 */
/** Any route: the per-IP limit, a server fault, the database down. */
export const ANY_ROUTE = ['rate_limited', 'internal', 'unavailable'] as const satisfies readonly ErrorCode[];
/** A route with params, a query or a body: a value that fails its schema. */
export const VALIDATED = ['validation_failed'] as const satisfies readonly ErrorCode[];
/** A POST or PATCH (Fastify reads its body even without a schema): bad JSON, too large, not JSON. */
export const WITH_BODY = ['bad_request', 'payload_too_large', 'unsupported_media_type'] as const satisfies readonly ErrorCode[];
/** A ★ route: no valid token, or the per-player limit (rate_limited is in ANY_ROUTE). */
export const AUTHED = ['unauthorized'] as const satisfies readonly ErrorCode[];

/** The distinct HTTP statuses of a list of codes, ascending, each with its codes. */
export function errorStatuses(codes: readonly ErrorCode[]): Map<number, ErrorCode[]> {
  const out = new Map<number, ErrorCode[]>();
  for (const code of [...new Set(codes)]) {
    const status = ERROR_STATUS[code];
    out.set(status, [...(out.get(status) ?? []), code]);
  }
  return new Map([...out].sort(([a], [b]) => a - b));
}

/** `/games/:id/moves` + {id} → `/games/<encoded id>/moves`; a missing parameter throws. */
export function fillPath(path: string, params: Record<string, unknown> = {}): string {
  return path.replace(/:([A-Za-z_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(value));
  });
}

/** `?a=1&b=x` of the defined values (empty string when none). */
export function queryString(query: Record<string, unknown> = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}

type Field<R, K extends string> = R extends { readonly [P in K]: infer S extends z.ZodType } ? S : never;

/** What a caller gives a route: its path params, query, body, token and headers, as the table says. */
export type RouteInput<R extends RouteSpec> = ([Field<R, 'params'>] extends [never] ? unknown : { params: z.input<Field<R, 'params'>> }) &
  ([Field<R, 'query'>] extends [never] ? unknown : { query?: z.input<Field<R, 'query'>> }) &
  ([Field<R, 'body'>] extends [never] ? unknown : { body: z.input<Field<R, 'body'>> }) &
  ([Field<R, 'headers'>] extends [never] ? unknown : { headers?: z.input<Field<R, 'headers'>> }) &
  (R extends { readonly auth: true } ? { token: string } : unknown);

/** What a route answers with on success, as parsed by its schema. */
export type RouteOutput<R extends RouteSpec> = z.output<R['response']['schema']>;
