import { ServerMessage, wsProtocols, type ClientMessage } from '../schemas/ws.js';
import type { BusEvent } from '../schemas/events.js';
import { checkEvent, type StreamEvent, type TopicEvent } from './events.js';
import { backoffDelay } from './backoff.js';
import type { ClientOptions, ConnectionState, ResyncResult, StreamError, SubscribeOptions, WebSocketConstructor, WebSocketLike } from './types.js';

export type { ClientOptions, ConnectionState, PresencePlayer, ResyncResult, StreamError, SubscribeOptions, WebSocketConstructor, WebSocketLike } from './types.js';

interface TopicState {
  topic: string;
  isGame: boolean;
  lastSeq: number | null;
  handlers: Set<(e: StreamEvent) => void>;
  opts: SubscribeOptions;
  /** Non-null while onResync runs: events held back. */
  held: BusEvent[] | null;
  retry?: ReturnType<typeof setTimeout>;
  /** The malformed event's seq already asked of onResync once (its answer is final). */
  refetched?: number;
}

/** Closes after which reconnecting would only repeat the failure. */
const FATAL_CLOSES = new Set([1008]);

/**
 * Typed event-stream client: connect, subscribe with automatic sinceSeq resume,
 * reconnect with exponential backoff + jitter, resync callback, duplicate/old seqs
 * dropped. Works in browsers and Node.
 */
export class EventStreamClient {
  private ws: WebSocketLike | null = null;
  private readonly topics = new Map<string, TopicState>();
  private stateValue: ConnectionState = 'connecting';
  private attempt = 0;
  private closedByUser = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  private silenceMs = 45_000;
  private readonly Ctor: WebSocketConstructor;
  private readonly urls: string[];
  private urlIndex = 0;
  playerId: string | null = null;

  /** `url` may list several replicas: each reconnect tries the next one. */
  constructor(
    url: string | readonly string[],
    private readonly opts: ClientOptions = {},
  ) {
    this.urls = typeof url === 'string' ? [url] : [...url];
    if (this.urls.length === 0) throw new Error('no event-stream url');
    const Ctor = opts.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) throw new Error('no WebSocket available: pass { WebSocket } (e.g. from the "ws" package)');
    this.Ctor = Ctor;
    this.open();
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** The last seq delivered on a topic (what a resume asks after). */
  lastSeq(topic: string): number | null {
    return this.topics.get(topic)?.lastSeq ?? null;
  }

  /**
   * Subscribe a handler; returns the unsubscribe function. Events reach it with `data`
   * checked against the kind's schema (typed by the topic); one that does not match is
   * reported to onError as `validation_failed` and not delivered — with `onResync`, the
   * topic is resynced from there once (the system of record's copy replaces the stream's).
   */
  subscribe<T extends string>(topic: T, onEvent: (e: TopicEvent<T>) => void, opts: SubscribeOptions = {}): () => void {
    let t = this.topics.get(topic);
    if (!t) {
      t = { topic, isGame: topic.startsWith('game:'), lastSeq: opts.sinceSeq ?? null, handlers: new Set(), opts, held: null };
      this.topics.set(topic, t);
      this.sendSubscribe(t);
    }
    const handler = (e: StreamEvent) => onEvent(e as TopicEvent<T>);
    t.handlers.add(handler);
    return () => {
      const cur = this.topics.get(topic);
      if (!cur) return;
      cur.handlers.delete(handler);
      if (cur.handlers.size > 0) return;
      clearTimeout(cur.retry);
      this.topics.delete(topic);
      this.send({ type: 'unsubscribe', topic } as ClientMessage);
    };
  }

  close(): void {
    this.closedByUser = true;
    clearTimeout(this.reconnectTimer);
    this.stopTimers();
    for (const t of this.topics.values()) clearTimeout(t.retry);
    this.ws?.close(1000, 'client closed');
    this.ws = null;
    this.setState('closed');
  }

  /**
   * Drop the socket and connect again at once, the backoff reset: the browser said the
   * network is back, so waiting out a backoff grown while it was away helps nobody.
   */
  reconnectNow(): void {
    if (this.closedByUser) return;
    clearTimeout(this.reconnectTimer);
    this.stopTimers();
    const old = this.ws;
    this.ws = null; // its close is no longer ours to handle (see onclose)
    old?.close(4001, 'reconnecting');
    this.attempt = 0;
    this.setState('reconnecting');
    this.open();
  }

  private setState(s: ConnectionState): void {
    if (this.stateValue === s) return;
    this.stateValue = s;
    this.opts.onState?.(s, this.attempt);
  }

  private open(): void {
    if (this.closedByUser) return;
    const token = typeof this.opts.token === 'function' ? this.opts.token() : this.opts.token;
    const base = this.urls[this.urlIndex % this.urls.length]!;
    // The token rides in Sec-WebSocket-Protocol, never in the URL (access logs).
    const ws = new this.Ctor(base, wsProtocols(token));
    this.ws = ws;
    ws.onmessage = (ev) => this.onMessage(String(ev.data));
    ws.onerror = () => {};
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.stopTimers();
      if (this.closedByUser) return;
      if (FATAL_CLOSES.has(ev.code)) return this.setState('closed');
      this.scheduleReconnect(ev.code);
    };
  }

  private scheduleReconnect(code: number): void {
    this.setState('reconnecting');
    // A restarting replica (1012) is not overloaded: come back fast, elsewhere.
    const delay = code === 1012 && this.attempt === 0 ? Math.random() * 250 : backoffDelay(this.attempt, this.opts.backoff);
    this.attempt++;
    this.urlIndex++; // the next replica, when several are known
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.open(), delay);
  }

  private stopTimers(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.silenceTimer);
  }

  /** Any message proves the link is alive; silence means a dead one (browsers cannot see pings). */
  private heard(): void {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => this.ws?.close(4000, 'silent'), this.silenceMs);
  }

  private send(msg: ClientMessage): void {
    if (this.ws && this.ws.readyState === 1 && this.stateValue === 'open') this.ws.send(JSON.stringify(msg));
  }

  private sendSubscribe(t: TopicState): void {
    // The lobby resumes like a game: its seqs are the bus's, contiguous in delivery order.
    const sinceSeq = t.lastSeq !== null ? t.lastSeq : undefined;
    this.send(sinceSeq === undefined ? { type: 'subscribe', topic: t.topic as never } : { type: 'subscribe', topic: t.topic as never, sinceSeq });
  }

  private onMessage(raw: string): void {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return;
    }
    const parsed = ServerMessage.safeParse(json);
    if (!parsed.success) return;
    const msg = parsed.data;
    this.heard();
    switch (msg.type) {
      case 'hello': {
        this.playerId = msg.playerId;
        this.attempt = 0;
        this.silenceMs = this.opts.silenceTimeoutMs ?? msg.heartbeatMs * 2 + 5000;
        clearInterval(this.pingTimer);
        this.pingTimer = setInterval(() => this.send({ type: 'ping' }), Math.max(1000, msg.heartbeatMs / 2));
        this.setState('open');
        for (const t of this.topics.values()) this.sendSubscribe(t);
        return;
      }
      case 'event': {
        const { type: _type, ...event } = msg;
        return this.onEvent(event);
      }
      case 'resync':
        return void this.onResync(msg.topic);
      case 'presence':
        return this.topics.get(msg.topic)?.opts.onPresence?.(msg.spectators, msg.players);
      case 'error':
        return this.onServerError(msg);
      default:
        return;
    }
  }

  private onEvent(e: BusEvent): void {
    const t = this.topics.get(e.topic);
    if (!t) return;
    if (t.held) {
      t.held.push(e);
      return;
    }
    this.deliver(t, e);
  }

  private deliver(t: TopicState, e: BusEvent): void {
    if (t.lastSeq !== null && e.seq <= t.lastSeq) return; // duplicate or old
    const checked = this.opts.checkPayloads === false ? { ok: true as const, event: e as StreamEvent } : checkEvent(t.isGame, e);
    if (!checked.ok) {
      this.onServerError({ type: 'error', code: 'validation_failed', message: checked.message, topic: t.topic });
      // The stream's copy is bad (e.g. a relay of an older build published a row without
      // its data, docs/performance.md "Rolling out"): ask the system of record for it,
      // once — what onResync answers for this seq is final.
      if (t.opts.onResync && t.refetched !== e.seq && t.lastSeq !== null) {
        t.refetched = e.seq;
        void this.onResync(t.topic);
        return;
      }
      t.lastSeq = e.seq;
      return;
    }
    t.lastSeq = e.seq;
    for (const h of [...t.handlers]) h(checked.event);
  }

  private async onResync(topic: string): Promise<void> {
    const t = this.topics.get(topic);
    if (!t || t.held) return;
    t.held = [];
    let result: ResyncResult;
    try {
      result = await t.opts.onResync?.({ topic, lastSeq: t.lastSeq });
    } catch {
      result = undefined;
    }
    const held = t.held;
    t.held = null;
    if (result?.events) {
      for (const e of [...result.events].sort((a, b) => a.seq - b.seq)) this.deliver(t, { ...e, topic });
    } else if (result?.seq !== undefined) {
      t.lastSeq = Math.max(t.lastSeq ?? 0, result.seq);
    } else {
      t.lastSeq = null; // take the stream from here on
    }
    for (const e of held.sort((a, b) => a.seq - b.seq)) this.deliver(t, e);
  }

  private onServerError(err: StreamError): void {
    const t = err.topic ? this.topics.get(err.topic) : undefined;
    if (t && err.code === 'unavailable') {
      // The server's bus is down for a moment: ask again shortly.
      clearTimeout(t.retry);
      t.retry = setTimeout(() => this.topics.get(t.topic) === t && this.sendSubscribe(t), backoffDelay(1, this.opts.backoff));
    }
    if (t) t.opts.onError?.(err);
    // No such game: do not ask again on every reconnect.
    if (t && err.code === 'not_found') {
      clearTimeout(t.retry);
      this.topics.delete(t.topic);
    }
    this.opts.onError?.(err);
  }
}

/** Connect to an event-stream (`ws(s)://host/ws`). */
export function connect(url: string | readonly string[], opts?: ClientOptions): EventStreamClient {
  return new EventStreamClient(url, opts);
}
