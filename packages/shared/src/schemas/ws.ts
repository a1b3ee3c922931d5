import { z } from 'zod';
import { ErrorCode } from './errors.js';
import { BusEvent, Topic } from './events.js';

/**
 * WebSocket subprotocols. A client offers WS_PROTOCOL, plus `wsTokenProtocol(token)` to
 * sign in: the token travels in the Sec-WebSocket-Protocol header of the upgrade, never
 * in the URL (URLs end up in access logs, proxies and the browser console). The server
 * answers with WS_PROTOCOL only.
 */
export const WS_PROTOCOL = 'monkeytown.v1';
export const WS_TOKEN_PROTOCOL_PREFIX = 'monkeytown.token.';
export const wsTokenProtocol = (token: string) => `${WS_TOKEN_PROTOCOL_PREFIX}${token}`;
/** The subprotocols a client offers (with or without a token). */
export const wsProtocols = (token?: string | null): string[] => (token ? [WS_PROTOCOL, wsTokenProtocol(token)] : [WS_PROTOCOL]);

/** Client → event-stream messages. */
export const ClientMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('subscribe'),
    topic: Topic,
    /**
     * Last sequence number the client has; it receives everything after it. A safe
     * integer: the lobby's seqs start at the bus clock in microseconds (≈ 1.8e15).
     */
    sinceSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  }),
  z.strictObject({ type: z.literal('unsubscribe'), topic: Topic }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Event-stream → client messages. */
export const ServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), connectionId: z.string(), heartbeatMs: z.number(), playerId: z.string().nullable() }),
  BusEvent.extend({ type: z.literal('event') }),
  z.object({ type: z.literal('subscribed'), topic: Topic }),
  z.object({ type: z.literal('unsubscribed'), topic: Topic }),
  /** The replay buffer no longer reaches back: fetch the REST snapshot/events. */
  z.object({ type: z.literal('resync'), topic: Topic }),
  /**
   * Who is watching a game topic: the spectator count and, for game topics, whether each
   * player has an event stream open on the game (`since`: when that last changed).
   */
  z.object({
    type: z.literal('presence'),
    topic: Topic,
    spectators: z.number().int().min(0),
    players: z.array(z.object({ playerId: z.string(), online: z.boolean(), since: z.string() })).optional(),
  }),
  z.object({
    type: z.literal('error'),
    code: ErrorCode,
    message: z.string(),
    /** The topic a failed subscribe/unsubscribe named, when the error is about one. */
    topic: Topic.optional(),
  }),
  z.object({ type: z.literal('pong') }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** Close codes the event stream uses (4000+ are Monkeytown's own). */
export const CloseCode = {
  normal: 1000,
  /** Server restarting: reconnect (to another replica). */
  restarting: 1012,
  messageTooBig: 1009,
  policyViolation: 1008,
  /** Client could not keep up; its send buffer passed the bound. */
  slowConsumer: 4008,
  /** Too many messages per second. */
  rateLimited: 4029,
  /** Missed heartbeats. */
  timeout: 4000,
} as const;
