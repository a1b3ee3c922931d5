// Browser-side REST client for same-origin /api. Every error becomes an ApiError carrying
// the server's {error:{code,message}} so the UI can show the reason (e.g. 422's).
import {
  errorCodeForStatus,
  EventsResponse,
  type ErrorCode,
  type AgentsResponse,
  type CreateGameBody,
  type CreatePlayerResponse,
  type GameResponse,
  type ListGamesResponse,
  type MoveResponse,
  type OfferBody,
  type OfferResponse,
  type ClaimBody,
  type PlayerResponse,
  type SignOutResponse,
} from '@monkeytown/shared/schemas';

/** The API's codes (the shared table), plus `network` for a server that could not be reached. */
export type ClientErrorCode = ErrorCode | 'network';

/** What a request that never reached the server says; cleared once the server answers again. */
export const NETWORK_MESSAGE = 'Cannot reach Monkeytown. Check your connection.';

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH';
  body?: unknown;
  token?: string | null;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export async function apiFetch<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method: opts.method ?? (opts.body !== undefined ? 'POST' : 'GET'),
      headers,
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
      cache: 'no-store',
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', NETWORK_MESSAGE);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: handled below */
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: ErrorCode; message?: string } } | null)?.error;
    throw new ApiError(res.status, e?.code ?? errorCodeForStatus(res.status), e?.message ?? `Request failed (${res.status})`);
  }
  return json as T;
}

/** A fresh Idempotency-Key for one command (its retries after a network error reuse it). */
export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

export const api = {
  createPlayer: (name: string) => apiFetch<CreatePlayerResponse>('/players', { body: { name } }),
  rename: (name: string, token: string) => apiFetch<PlayerResponse>('/players/me', { method: 'PATCH', body: { name }, token }),
  signOut: (token: string) => apiFetch<SignOutResponse>('/players/me/sign-out', { body: {}, token }),
  agents: () => apiFetch<AgentsResponse>('/agents'),
  listGames: (status: 'open' | 'active' | 'finished', limit = 20) =>
    apiFetch<ListGamesResponse>(`/games?status=${status}&limit=${limit}`),
  game: (id: string) => apiFetch<GameResponse>(`/games/${encodeURIComponent(id)}`),
  /** Checked against the shared schemas: each event's `data` is typed by its kind. */
  events: async (id: string, after = 0): Promise<EventsResponse> =>
    EventsResponse.parse(await apiFetch<unknown>(`/games/${encodeURIComponent(id)}/events?after=${after}&limit=1000`)),
  createGame: (body: Partial<CreateGameBody> & Pick<CreateGameBody, 'type' | 'opponent'>, token: string) =>
    apiFetch<GameResponse>('/games', { body, token }),
  join: (id: string, token: string) => apiFetch<GameResponse>(`/games/${encodeURIComponent(id)}/join`, { body: {}, token }),
  move: (id: string, move: unknown, expectedSeq: number, token: string, idempotencyKey: string) =>
    apiFetch<MoveResponse>(`/games/${encodeURIComponent(id)}/moves`, { body: { move, expectedSeq }, token, idempotencyKey }),
  /**
   * Live-game commands (issue 12): like a move they name the seq the page saw (409 when the
   * game moved on) and carry an Idempotency-Key, so a retried request acts once.
   */
  abort: (id: string, expectedSeq: number, token: string, idempotencyKey: string) =>
    apiFetch<GameResponse>(`/games/${encodeURIComponent(id)}/abort`, { body: { expectedSeq }, token, idempotencyKey }),
  offer: (id: string, body: OfferBody, token: string, idempotencyKey: string) =>
    apiFetch<OfferResponse>(`/games/${encodeURIComponent(id)}/offers`, { body, token, idempotencyKey }),
  claim: (id: string, body: ClaimBody, token: string, idempotencyKey: string) =>
    apiFetch<GameResponse>(`/games/${encodeURIComponent(id)}/claim`, { body, token, idempotencyKey }),
  resign: (id: string, token: string) => apiFetch<GameResponse>(`/games/${encodeURIComponent(id)}/resign`, { body: {}, token }),
  chat: (id: string, text: string, token: string) =>
    apiFetch<unknown>(`/games/${encodeURIComponent(id)}/chat`, { body: { text }, token }),
};
