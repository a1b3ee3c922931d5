// What the event-stream client is configured and called with (client.ts is the client).
import type { ServerMessage } from '../schemas/ws.js';
import type { RawEvent } from './events.js';
import type { BackoffOptions } from './backoff.js';

// Method-style (bivariant) so both the DOM WebSocket and the `ws` package's class fit.
type Listener<E> = { bivarianceHack(ev: E): void }['bivarianceHack'];

/** The parts of a WebSocket this client uses: the browser's, or Node's `ws` package. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Listener<unknown> | null;
  onmessage: Listener<{ data: unknown }> | null;
  onclose: Listener<{ code: number; reason: string }> | null;
  onerror: Listener<unknown> | null;
}
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';
export type StreamError = Extract<ServerMessage, { type: 'error' }>;
/** A player of a game topic and whether they have an event stream open on it (`since`: last change). */
export type PresencePlayer = NonNullable<Extract<ServerMessage, { type: 'presence' }>['players']>[number];

/**
 * What onResync may return: events to deliver (e.g. from GET /api/games/:id/events?after=;
 * checked like live ones), or the seq of a snapshot.
 */
export type ResyncResult = void | { events?: readonly RawEvent[]; seq?: number };

export interface SubscribeOptions {
  /** The last seq the caller already has (e.g. from the REST snapshot). */
  sinceSeq?: number;
  /**
   * The stream cannot replay what was missed. Live events are held back until the
   * returned promise settles; return the missed events or the snapshot's seq.
   */
  onResync?: (info: { topic: string; lastSeq: number | null }) => ResyncResult | Promise<ResyncResult>;
  /** Spectator count; for game topics also each player's presence (when the server sends it). */
  onPresence?: (spectators: number, players?: PresencePlayer[]) => void;
  /** not_found and other errors about this topic. */
  onError?: (err: StreamError) => void;
}

export interface ClientOptions {
  /** Player token (or a function returning the current one, read on every connect). */
  token?: string | (() => string | undefined | null);
  /** Needed in Node < 22 (pass `WebSocket` from 'ws'); the global one is used otherwise. */
  WebSocket?: WebSocketConstructor;
  onState?: (state: ConnectionState, attempt: number) => void;
  onError?: (err: StreamError) => void;
  backoff?: Partial<BackoffOptions>;
  /** Reconnect if nothing arrives for this long; default 2 × the server's heartbeat + 5 s. */
  silenceTimeoutMs?: number;
  /**
   * Check each event's `data` against its kind's schema (default true). Only a tool that
   * drives servers of other versions (the bench's `--compare`, whose old build predates
   * today's event fields) turns it off; the envelope (topic, seq, kind) is checked always.
   */
  checkPayloads?: boolean;
}
