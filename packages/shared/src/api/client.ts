import { ApiError } from '../schemas/api-error.js';
import { ErrorBody, errorCodeForStatus } from '../schemas/errors.js';
import { fillPath, queryString, type RouteSpec } from './route.js';
import { ROUTES, type InputOf, type OutputOf, type RouteName } from './routes.js';

export interface ClientOptions {
  /** Where /api is: `/api` in the browser, `http://game-server:3001/api` on the server side. */
  base: string;
  /** Extra headers on every request (a server-side render forwards the player's address). */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /** Milliseconds before a request counts as failed (`network`); none by default. */
  timeoutMs?: number;
  /** The message of a `network` error (the request never got an answer). */
  networkMessage?: string;
  /**
   * Send a GET once more when fetch failed without an answer (not a time-out): Node's
   * fetch, unlike a browser, does not resend a request whose pooled keep-alive connection
   * the peer closed as it was reused (a proxy reloading, a replica draining). GETs only:
   * a write that may have arrived is never sent twice.
   */
  resendGetOnce?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** A route's path under /api with its parameters (encoded) and query: what a link to it says. */
export function routeUrl<N extends RouteName>(name: N, input: { params?: Record<string, unknown>; query?: Record<string, unknown> } = {}): string {
  return fillPath(ROUTES[name].path, input.params) + queryString(input.query);
}

/**
 * A client of the route table: `call('games.create', { body, token })` builds the URL from
 * the route's path, sends its headers, parses the answer with the route's response schema,
 * and throws the shared ApiError with the server's code (`network` when fetch itself fails,
 * `internal` when an answer is not what the table says).
 */
export function createApiClient(opts: ClientOptions) {
  const networkMessage = opts.networkMessage ?? 'the server could not be reached';
  async function call<N extends RouteName>(name: N, input: InputOf<N>, callOpts: CallOptions = {}): Promise<OutputOf<N>> {
    const route: RouteSpec = ROUTES[name];
    const given = input as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string | undefined>; token?: string };
    const headers: Record<string, string> = { accept: 'application/json', ...(await opts.headers?.()) };
    for (const [k, v] of Object.entries(given.headers ?? {})) if (v !== undefined) headers[k] = v;
    if (given.token) headers.authorization = `Bearer ${given.token}`;
    // A POST without a body schema (join, resign, sign-out) still sends `{}`: the server
    // refuses an empty JSON body.
    const body = route.method === 'GET' ? undefined : JSON.stringify(given.body ?? {});
    if (body !== undefined) headers['content-type'] = 'application/json';
    const signals = [callOpts.signal, opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined].filter((s) => s !== undefined);
    let status: number;
    let text: string;
    try {
      // The global fetch at call time (tests and Next replace it).
      // `cache` is the browser's and Next's (Node's typings lack it): never a stored answer.
      const init: RequestInit & { cache: 'no-store' } = {
        method: route.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(signals.length ? { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) } : {}),
        cache: 'no-store',
      };
      const url = `${opts.base}${routeUrl(name, given)}`;
      const res = await globalThis.fetch(url, init).catch((err: unknown) => {
        const aborted = (err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError' || init.signal?.aborted;
        if (!opts.resendGetOnce || route.method !== 'GET' || aborted) throw err;
        return globalThis.fetch(url, init);
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      // The caller's own abort is not a failure of the network.
      if ((err as Error).name === 'AbortError' && callOpts.signal?.aborted) throw err;
      throw new ApiError('network', networkMessage);
    }
    if (status < 200 || status > 299) throw errorFrom(status, text);
    const parsed = route.response.schema.safeParse(route.response.produces ? text : parseJson(text));
    if (!parsed.success) {
      throw new ApiError('internal', `unexpected answer from ${route.method} ${route.path}`, { issues: parsed.error.issues });
    }
    return parsed.data as OutputOf<N>;
  }
  return { call };
}

export type ApiClient = ReturnType<typeof createApiClient>;

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return undefined; // not JSON: the schema refuses it
  }
}

/** The ApiError of an error answer: the server's code and message, or the code its status means. */
export function errorFrom(status: number, text: string): ApiError {
  const json = parseJson(text);
  const body = ErrorBody.safeParse(json);
  if (body.success) return new ApiError(body.data.error.code, body.data.error.message, body.data.error.details);
  // Not the contract's shape (a proxy's page, an unknown code): what its status means.
  const message = (json as { error?: { message?: unknown } } | null)?.error?.message;
  return new ApiError(errorCodeForStatus(status), typeof message === 'string' ? message : `Request failed (${status})`);
}
