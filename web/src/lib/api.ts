// Browser-side REST client for same-origin /api, derived from the route table
// (packages/shared/src/api): URLs come from the routes' paths, answers are parsed with their
// response schemas, and every failure is the shared ApiError with the server's code (the UI
// decides by code and shows the server's message). One short name per call the pages make.
import { createApiClient, routeUrl, type InputOf, type RouteName } from '@monkeytown/shared/api';
import type { ClaimBody, Move, OfferBody } from '@monkeytown/shared/schemas';

export { ApiError, type ClientErrorCode } from '@monkeytown/shared/schemas';

/** What a request that never reached the server says; cleared once the server answers again. */
export const NETWORK_MESSAGE = 'Cannot reach Monkeytown. Check your connection.';

/** `call('games.create', { body, token })`: any route of the table, by name. */
export const { call } = createApiClient({ base: '/api', networkMessage: NETWORK_MESSAGE });

/** A route's URL for a link (e.g. a download the browser fetches itself). */
export const apiUrl = <N extends RouteName>(name: N, input: Parameters<typeof routeUrl<N>>[1]) => `/api${routeUrl(name, input)}`;

/** A fresh Idempotency-Key for one command (its retries after a network error reuse it). */
export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

const keyed = (idempotencyKey: string) => ({ headers: { 'idempotency-key': idempotencyKey } });

export const api = {
  createPlayer: (name: string) => call('players.create', { body: { name } }),
  me: (token: string) => call('players.me', { token }),
  rename: (name: string, token: string) => call('players.rename', { body: { name }, token }),
  signOut: (token: string) => call('players.signOut', { token }),
  agents: () => call('agents.list', {}),
  listGames: (status: 'open' | 'active' | 'finished', limit = 20) => call('games.list', { query: { status, limit } }),
  game: (id: string) => call('games.get', { params: { id } }),
  /** Each event's `data` is typed by its kind (the route's schema checked it). */
  events: (id: string, after = 0) => call('games.events', { params: { id }, query: { after, limit: 1000 } }),
  createGame: (body: InputOf<'games.create'>['body'], token: string) => call('games.create', { body, token }),
  join: (id: string, token: string) => call('games.join', { params: { id }, token }),
  /** `signal`: the page gives up on an answer that does not come (and resends with the key). */
  move: (id: string, move: Move, expectedSeq: number, token: string, idempotencyKey: string, signal?: AbortSignal) =>
    call('games.move', { params: { id }, body: { move, expectedSeq }, token, ...keyed(idempotencyKey) }, signal ? { signal } : {}),
  /**
   * Live-game commands (issue 12): like a move they name the seq the page saw (stale_seq when
   * the game moved on) and carry an Idempotency-Key, so a retried request acts once.
   */
  abort: (id: string, expectedSeq: number, token: string, idempotencyKey: string) =>
    call('games.abort', { params: { id }, body: { expectedSeq }, token, ...keyed(idempotencyKey) }),
  offer: (id: string, body: OfferBody, token: string, idempotencyKey: string) =>
    call('games.offer', { params: { id }, body, token, ...keyed(idempotencyKey) }),
  claim: (id: string, body: ClaimBody, token: string, idempotencyKey: string) =>
    call('games.claim', { params: { id }, body, token, ...keyed(idempotencyKey) }),
  resign: (id: string, token: string) => call('games.resign', { params: { id }, token }),
  chat: (id: string, text: string, token: string) => call('games.chat', { params: { id }, body: { text }, token }),
  report: (id: string, playerId: string, seq: number, token: string) => call('games.report', { params: { id }, body: { playerId, seq }, token }),
  /** Moderators only (403 `forbidden` for anyone else): the open chat reports, and closing one. */
  openReports: (token: string) => call('moderation.reports', { token }),
  resolveReport: (id: string, note: string, token: string) => call('moderation.resolve', { params: { id }, body: note ? { note } : {}, token }),
};
