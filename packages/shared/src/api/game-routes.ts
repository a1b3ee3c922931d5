import { z } from 'zod';
import { EventsQuery, EventsResponse } from '../schemas/events.js';
import { ReviewResponse } from '../schemas/review.js';
import {
  ActionBody,
  ChatBody,
  ChatResponse,
  ClaimBody,
  CreateGameBody,
  GameIdParams,
  GameResponse,
  ListGamesQuery,
  ListGamesResponse,
  MoveBody,
  MoveResponse,
  OfferBody,
  OfferResponse,
  ReportBody,
  ReportResponse,
} from '../schemas/games.js';
import { ANY_ROUTE, AUTHED, defineRoute, VALIDATED, WITH_BODY } from './route.js';

/** Idempotency-Key: printable ASCII, no spaces (UUIDs, ULIDs, random strings). */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, 'Idempotency-Key must be 1..128 printable ASCII characters')
    .optional(),
});

/** What every ★ write on one game can answer: its body, its token, an unknown game id. */
const GAME_WRITE = [...ANY_ROUTE, ...WITH_BODY, ...VALIDATED, ...AUTHED, 'not_found'] as const;
/** Live-game commands with expectedSeq and an Idempotency-Key (issue 12), like a move. */
const SEQ_COMMAND = [...GAME_WRITE, 'forbidden', 'stale_seq', 'game_over', 'idempotency_key_reused'] as const;

/** The lobby and one game's routes (docs/api.md, "Games" and "Live games"). */
export const GAME_ROUTES = {
  'games.list': defineRoute({
    method: 'GET',
    path: '/games',
    summary: 'Lobby: games by most recent activity, cursor-paged',
    tags: ['games'],
    auth: false,
    query: ListGamesQuery,
    response: { status: 200, schema: ListGamesResponse },
    errors: [...ANY_ROUTE, ...VALIDATED, 'bad_request'],
  }),
  'games.create': defineRoute({
    method: 'POST',
    path: '/games',
    summary: 'Create a game against an agent or with an open seat',
    tags: ['games'],
    auth: true,
    body: CreateGameBody,
    response: { status: 201, schema: GameResponse },
    // not_supported is unreachable: every GameType the schema accepts has an engine.
    errors: [...ANY_ROUTE, ...WITH_BODY, ...VALIDATED, ...AUTHED, 'not_found'],
  }),
  'games.get': defineRoute({
    method: 'GET',
    path: '/games/:id',
    summary: 'Game snapshot: seq, players, public state, legal moves, result',
    tags: ['games'],
    auth: false,
    params: GameIdParams,
    response: { status: 200, schema: GameResponse },
    errors: [...ANY_ROUTE, ...VALIDATED, 'not_found'],
  }),
  'games.join': defineRoute({
    method: 'POST',
    path: '/games/:id/join',
    summary: 'Take the open seat of a game',
    tags: ['games'],
    auth: true,
    params: GameIdParams,
    response: { status: 200, schema: GameResponse },
    errors: [...GAME_WRITE, 'conflict', 'game_full'],
  }),
  'games.move': defineRoute({
    method: 'POST',
    path: '/games/:id/moves',
    summary: 'Make a move (expectedSeq = the seq you last saw; optional Idempotency-Key header)',
    tags: ['games'],
    auth: true,
    params: GameIdParams,
    headers: IdempotencyHeaders,
    body: MoveBody,
    response: { status: 200, schema: MoveResponse },
    errors: [...SEQ_COMMAND, 'conflict', 'not_your_turn', 'illegal_move'],
  }),
  'games.resign': defineRoute({
    method: 'POST',
    path: '/games/:id/resign',
    summary: 'Resign (or cancel your open game)',
    tags: ['games'],
    auth: true,
    params: GameIdParams,
    response: { status: 200, schema: GameResponse },
    errors: [...GAME_WRITE, 'forbidden', 'game_over'],
  }),
  'games.chat': defineRoute({
    method: 'POST',
    path: '/games/:id/chat',
    summary: 'Say something in the game chat (players and spectators)',
    tags: ['games'],
    auth: true,
    params: GameIdParams,
    body: ChatBody,
    response: { status: 201, schema: ChatResponse },
    errors: [...GAME_WRITE, 'chat_rate_limited'],
  }),
  'games.report': defineRoute({
    method: 'POST',
    path: '/games/:id/reports',
    summary: "Report a player's chat in this game (stored for moderators)",
    tags: ['games'],
    auth: true,
    params: GameIdParams,
    body: ReportBody,
    response: { status: 201, schema: ReportResponse },
    errors: [...GAME_WRITE, 'report_rate_limited'],
  }),
  'games.events': defineRoute({
    method: 'GET',
    path: '/games/:id/events',
    summary: 'Events after a sequence number, in order (replays, resync)',
    tags: ['games'],
    auth: false,
    params: GameIdParams,
    query: EventsQuery,
    response: { status: 200, schema: EventsResponse },
    errors: [...ANY_ROUTE, ...VALIDATED, 'not_found'],
  }),
  'games.pgn': defineRoute({
    method: 'GET',
    path: '/games/:id/pgn',
    summary: 'A chess game as PGN (text/plain download)',
    tags: ['games'],
    auth: false,
    params: GameIdParams,
    response: { status: 200, schema: z.string(), produces: ['application/x-chess-pgn'] },
    errors: [...ANY_ROUTE, ...VALIDATED, 'not_found', 'not_supported'],
  }),
  'games.review': defineRoute({
    method: 'GET',
    path: '/games/:id/review',
    summary: 'The post-game review of a finished game (pending while the troop computes it)',
    tags: ['games'],
    auth: false,
    params: GameIdParams,
    response: { status: 200, schema: ReviewResponse },
    // conflict: the game is not over yet.
    errors: [...ANY_ROUTE, ...VALIDATED, 'not_found', 'conflict'],
  }),
  'games.abort': defineRoute({
    method: 'POST',
    path: '/games/:id/abort',
    summary: 'Abort a game before both sides moved (fewer than two moves): unrated',
    tags: ['games'],
    auth: true,
    params: GameIdParams,
    headers: IdempotencyHeaders,
    body: ActionBody,
    response: { status: 200, schema: GameResponse },
    errors: [...SEQ_COMMAND, 'not_abortable'],
  }),
  'games.offer': defineRoute({
    method: 'POST',
    path: '/games/:id/offers',
    summary: 'Offer, accept, decline or cancel a draw, a takeback or a rematch',
    tags: ['games'],
    auth: true,
    params: GameIdParams,
    headers: IdempotencyHeaders,
    body: OfferBody,
    response: { status: 200, schema: OfferResponse },
    errors: [...SEQ_COMMAND, 'conflict', 'no_offer'],
  }),
  'games.claim': defineRoute({
    method: 'POST',
    path: '/games/:id/claim',
    summary: 'Claim the win or a draw when the opponent has been gone claimAfterSeconds',
    tags: ['games'],
    auth: true,
    params: GameIdParams,
    headers: IdempotencyHeaders,
    body: ClaimBody,
    response: { status: 200, schema: GameResponse },
    errors: [...SEQ_COMMAND, 'not_claimable'],
  }),
} as const;
