import { randomUUID } from 'node:crypto';
import { WebSocket, type RawData } from 'ws';
import { ClientMessage, CloseCode, ServerMessage, type ErrorCode, type Topic } from '@monkeytown/shared';
import type { Bus } from '../bus/index.js';
import type { EventStreamLimits } from './config.js';
import { helloFrame, subscribedFrame, unsubscribedFrame } from './frames.js';
import type { Beating } from './heartbeat.js';
import type { Hub } from './hub.js';
import type { Metrics } from './metrics.js';
import type { Presence } from './presence.js';
import { clock, paidUntil } from './rate-limit.js';
import type { SignedInSocket, SignOuts } from './sign-outs.js';
import { Subscription } from './subscription.js';

export interface ConnectionContext {
  bus: Bus;
  hub: Hub;
  presence: Presence;
  signOuts: SignOuts;
  metrics: Metrics;
  limits: EventStreamLimits;
  heartbeatMs: number;
  /** The socket closed (after its subscriptions ended): forget it. */
  closed(conn: Connection): void;
  log: { warn(o: object, m?: string): void; debug(o: object, m?: string): void };
}

const NONE: readonly Subscription[] = [];

/**
 * One WebSocket: protocol, limits, and its subscriptions. It *is* the `ws` socket (the
 * server makes `ws` construct this class), so a socket is one object, not a socket plus
 * a connection holding it, and the events `ws` emits are dispatched by `emit` below
 * instead of by per-socket listener closures (issue 28: a crowd of 19,000 idle sockets
 * is what the process's memory is spent on, and each closure, context and map entry
 * per socket showed in it).
 */
export class Connection extends WebSocket implements SignedInSocket, Beating {
  alive = true;
  /** Set by start(): the signed-in player (null when anonymous) and their token's version (0). */
  playerId: string | null = null;
  tokenVersion = 0;
  /** The heartbeat's place for this socket (heartbeat.ts). */
  beatBucket = -1;
  beatSlot = -1;
  /** Few per socket (usually one): a small array replaced on change, not a Map. */
  private subs = NONE;
  /** The rate limit (rate-limit.ts): when the messages so far are paid for. */
  private paidUntil = 0;
  private closing = false;
  private ctx: ConnectionContext | undefined;

  /** The socket is open (ws called back): greet it and take its messages from now on. */
  start(playerId: string | null, tokenVersion: number, ctx: ConnectionContext): void {
    this.playerId = playerId;
    this.tokenVersion = tokenVersion;
    this.ctx = ctx;
    ctx.metrics.connections.inc();
    // The connection id is only told to the client (for its logs); it is not kept.
    this.sendText(helloFrame(randomUUID(), ctx.heartbeatMs, playerId));
    ctx.signOuts.add(this);
  }

  /**
   * ws tells a socket what happens through `emit`; the events this server needs go
   * straight to their method, so no socket carries listeners of its own. Whatever else
   * (and any listener added anyway) still goes through EventEmitter.
   */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (this.ctx) {
      switch (event) {
        case 'message':
          this.onMessage(args[0] as RawData, args[1] as boolean);
          return true;
        case 'pong':
          this.alive = true;
          return true;
        case 'error':
          return true; // e.g. 1009 from maxPayload; 'close' follows
        case 'close':
          this.cleanup(this.ctx);
          break;
      }
    } else if (event === 'error') {
      return true; // a socket refused before start(): it is being closed
    }
    return super.emit(event, ...args);
  }

  /**
   * Its token was signed out (on any replica): as for any dead token, say so and close
   * with 1008. Its subscriptions end with it, and so does the player's presence here.
   */
  signedOut(): void {
    if (this.closing) return;
    this.error('unauthorized', 'this token was signed out');
    this.closeWith(CloseCode.policyViolation, 'token signed out');
  }

  get subscriptionCount(): number {
    return this.subs.length;
  }

  /** A message checked against the contract, then sent (the rare ones: errors, pong, resync …). */
  sendMessage(msg: ServerMessage): void {
    const parsed = ServerMessage.safeParse(msg);
    if (!parsed.success) {
      this.ctx?.log.warn({ type: msg.type, issues: parsed.error.issues.length }, 'refusing to send invalid message');
      return;
    }
    if (msg.type === 'error') this.ctx?.metrics.errors.inc({ code: msg.code });
    this.sendText(JSON.stringify(parsed.data));
  }

  sendEventFrame(frame: Buffer, replayed: boolean): void {
    if (this.sendText(frame)) {
      this.ctx!.metrics.eventsOut.inc();
      if (replayed) this.ctx!.metrics.replayed.inc();
    }
  }

  sendFrame(frame: Buffer): void {
    this.sendText(frame);
  }

  /** The server closes the socket (ws's own close() is left to ws: it calls it on a peer's close frame). */
  closeWith(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.ctx?.metrics.closes.inc({ code: String(code) });
    if (this.readyState === WebSocket.OPEN || this.readyState === WebSocket.CONNECTING) this.close(code, reason);
    // A peer that does not read never completes the close handshake: do not hold its buffers.
    setTimeout(() => this.terminate(), 2000).unref();
  }

  /**
   * Send a text message unless the socket's unsent backlog passed the bound; then cut it
   * off (4008). A Buffer is a frame shared by many sockets: ws writes it as it is (a
   * server does not mask), so it is encoded once, not once per socket.
   */
  private sendText(text: string | Buffer): boolean {
    if (this.closing || this.readyState !== WebSocket.OPEN) return false;
    const ctx = this.ctx!;
    if (this.bufferedAmount + text.length > ctx.limits.maxBufferedBytes) {
      ctx.metrics.slowConsumers.inc();
      this.closeWith(CloseCode.slowConsumer, 'slow consumer');
      return false;
    }
    this.send(text, { binary: false });
    return true;
  }

  private error(code: ErrorCode, message: string, topic?: Topic): void {
    this.sendMessage({ type: 'error', code, message, ...(topic ? { topic } : {}) });
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const ctx = this.ctx!;
    if (this.closing) return;
    this.alive = true;
    ctx.metrics.messagesIn.inc();
    const paid = paidUntil(this.paidUntil, clock(), ctx.limits.messagesPerSecond);
    if (paid === null) {
      this.error('rate_limited', `more than ${ctx.limits.messagesPerSecond} messages per second`);
      this.closeWith(CloseCode.rateLimited, 'rate limited');
      return;
    }
    this.paidUntil = paid;
    if (isBinary) return this.error('bad_request', 'binary frames are not supported; send JSON text');
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      return this.error('bad_request', 'message is not valid JSON');
    }
    const parsed = ClientMessage.safeParse(json);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`)
        .join('; ');
      return this.error('validation_failed', `invalid message: ${detail}`);
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'ping':
        return this.sendMessage({ type: 'pong' });
      case 'subscribe':
        return void this.subscribe(ctx, ctx.hub.intern(msg.topic), msg.sinceSeq);
      case 'unsubscribe':
        return this.unsubscribe(ctx, msg.topic);
    }
  }

  private find(topic: Topic): Subscription | undefined {
    for (const s of this.subs) if (s.topic === topic) return s;
    return undefined;
  }

  private async subscribe(ctx: ConnectionContext, topic: Topic, sinceSeq: number | undefined): Promise<void> {
    if (this.find(topic)) {
      // Idempotent: the existing subscription already delivers everything.
      return this.sendSubscribed(topic);
    }
    if (this.subs.length >= ctx.limits.maxSubscriptions) {
      return this.error('bad_request', `too many subscriptions (max ${ctx.limits.maxSubscriptions} per connection)`, topic);
    }
    const { hub } = ctx;
    const sub = new Subscription(this, topic);
    this.subs = this.subs.concat(sub); // exactly as long as needed (a spread reserves 17 slots)
    ctx.metrics.subscriptions.inc();
    const stillWanted = () => sub.phase !== 'ended' && !this.closing;
    try {
      // Subscribe to the bus first (events buffer in `sub`), then read the replay: the
      // seam between the two is covered from both sides and merged by seq.
      const known = await hub.join(topic, sub, sinceSeq);
      if (!stillWanted()) return;
      // Where the topic stands: as the hub knows it (every later event reaches `sub`), or
      // else read from the bus. The lobby always exists; null = nothing published on it
      // yet (or Redis lost it).
      const last = known ?? (sub.isGame ? await sub.waitForTopic(ctx.bus, ctx.limits.unknownTopicGraceMs) : await ctx.bus.lastSeq(topic));
      if (!stillWanted()) return;
      if (sub.isGame && last === null && !sinceSeq) {
        this.drop(ctx, sub);
        return this.error('not_found', `no such game: ${topic}`, topic);
      }
      this.sendSubscribed(topic);
      // A client that names sinceSeq > 0 has seen this game's events (from REST), so the
      // game exists even when the bus has not seen it yet — the relay may be lagging
      // (load, a Redis failover) or the replay keys expired. It goes live from sinceSeq
      // instead of getting a not_found it could never recover from. (On the lobby a
      // later event's seq jumps past sinceSeq, and the socket is told to resync.)
      if (last === null) {
        sub.goLive(sinceSeq ?? null, { events: [], complete: true }, (e) => hub.frame(e));
        if (sub.isGame) ctx.presence.add(topic, sub);
        return;
      }
      // Without sinceSeq the client starts at "now" (it has the snapshot, or the lobby list).
      const from = sinceSeq ?? last;
      // The lobby's seqs come from the bus: a resume point beyond its last one was not
      // given by this counter (Redis lost its data since): resync rather than trust it.
      // The hub's last seq may only be behind the bus (this replica is a moment slower
      // than the one the client came from: load, a gap being filled), so it is checked
      // against the bus itself before the client is told to resync.
      const unknown = !sub.isGame && from > last && (known === null || from > ((await ctx.bus.lastSeq(topic)) ?? last));
      if (!stillWanted()) return;
      const replay = unknown ? { events: [], complete: false } : from < last ? await hub.history(topic, from) : { events: [], complete: true };
      if (!stillWanted()) return;
      sub.goLive(unknown ? last : from, replay, (e) => hub.frame(e));
      if (sub.isGame) ctx.presence.add(topic, sub);
    } catch (err) {
      ctx.log.warn({ err: (err as Error).message, topic }, 'subscribe failed');
      if (sub.phase !== 'ended') this.drop(ctx, sub);
      this.error('unavailable', 'event bus unavailable; retry shortly', topic);
    }
  }

  private sendSubscribed(topic: Topic): void {
    this.sendText(subscribedFrame(topic));
  }

  private unsubscribe(ctx: ConnectionContext, topic: Topic): void {
    const sub = this.find(topic);
    if (sub) this.drop(ctx, sub);
    this.sendText(unsubscribedFrame(topic)); // the topic was checked by ClientMessage
  }

  private drop(ctx: ConnectionContext, sub: Subscription): void {
    const left = this.subs.filter((s) => s !== sub);
    this.subs = left.length > 0 ? left : NONE;
    sub.phase = 'ended';
    ctx.metrics.subscriptions.dec();
    ctx.hub.leave(sub.topic, sub);
    if (sub.isGame) ctx.presence.remove(sub.topic, sub);
  }

  private cleanup(ctx: ConnectionContext): void {
    this.closing = true;
    ctx.signOuts.remove(this);
    ctx.metrics.connections.dec();
    for (const sub of this.subs) this.drop(ctx, sub);
    ctx.closed(this);
  }
}
