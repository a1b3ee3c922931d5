import { randomUUID } from 'node:crypto';
import { WebSocket, type RawData } from 'ws';
import { ClientMessage, CloseCode, ServerMessage, type ErrorCode, type Topic } from '@monkeytown/shared';
import type { Bus } from '../bus/index.js';
import type { EventStreamLimits } from './config.js';
import type { Hub } from './hub.js';
import type { Metrics } from './metrics.js';
import type { Presence } from './presence.js';
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
  log: { warn(o: object, m?: string): void; debug(o: object, m?: string): void };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One WebSocket: protocol, limits, and its subscriptions. */
export class Connection implements SignedInSocket {
  readonly id = randomUUID();
  alive = true;
  private readonly subs = new Map<Topic, Subscription>();
  private tokens: number;
  private lastRefill = Date.now();
  private closing = false;

  constructor(
    readonly ws: WebSocket,
    readonly playerId: string | null,
    /** The version its token was issued under (0 when anonymous): a sign-out bumps the player's. */
    readonly tokenVersion: number,
    private readonly ctx: ConnectionContext,
  ) {
    this.tokens = ctx.limits.messagesPerSecond * 2;
    ctx.metrics.connections.inc();
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => (this.alive = true));
    ws.on('error', () => {}); // e.g. 1009 from maxPayload; 'close' follows
    ws.once('close', () => this.cleanup());
    this.send({ type: 'hello', connectionId: this.id, heartbeatMs: ctx.heartbeatMs, playerId });
    ctx.signOuts.add(this);
  }

  /**
   * Its token was signed out (on any replica): as for any dead token, say so and close
   * with 1008. Its subscriptions end with it, and so does the player's presence here.
   */
  signedOut(): void {
    if (this.closing) return;
    this.error('unauthorized', 'this token was signed out');
    this.close(CloseCode.policyViolation, 'token signed out');
  }

  get subscriptionCount(): number {
    return this.subs.size;
  }

  send(msg: ServerMessage): void {
    const parsed = ServerMessage.safeParse(msg);
    if (!parsed.success) {
      this.ctx.log.warn({ type: msg.type, issues: parsed.error.issues.length }, 'refusing to send invalid message');
      return;
    }
    if (msg.type === 'error') this.ctx.metrics.errors.inc({ code: msg.code });
    this.sendText(JSON.stringify(parsed.data));
  }

  sendEventFrame(frame: Buffer, replayed: boolean): void {
    if (this.sendText(frame)) {
      this.ctx.metrics.eventsOut.inc();
      if (replayed) this.ctx.metrics.replayed.inc();
    }
  }

  sendFrame(frame: Buffer): void {
    this.sendText(frame);
  }

  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.ctx.metrics.closes.inc({ code: String(code) });
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
    // A peer that does not read never completes the close handshake: do not hold its buffers.
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  /**
   * Send a text message unless the socket's unsent backlog passed the bound; then cut it
   * off (4008). A Buffer is a frame shared by many sockets: ws writes it as it is (a
   * server does not mask), so it is encoded once, not once per socket.
   */
  private sendText(text: string | Buffer): boolean {
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return false;
    if (this.ws.bufferedAmount + text.length > this.ctx.limits.maxBufferedBytes) {
      this.ctx.metrics.slowConsumers.inc();
      this.close(CloseCode.slowConsumer, 'slow consumer');
      return false;
    }
    this.ws.send(text, { binary: false });
    return true;
  }

  private error(code: ErrorCode, message: string, topic?: Topic): void {
    this.send({ type: 'error', code, message, ...(topic ? { topic } : {}) });
  }

  private allow(): boolean {
    const { messagesPerSecond } = this.ctx.limits;
    const now = Date.now();
    this.tokens = Math.min(messagesPerSecond * 2, this.tokens + ((now - this.lastRefill) / 1000) * messagesPerSecond);
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    this.alive = true;
    this.ctx.metrics.messagesIn.inc();
    if (!this.allow()) {
      this.error('rate_limited', `more than ${this.ctx.limits.messagesPerSecond} messages per second`);
      this.close(CloseCode.rateLimited, 'rate limited');
      return;
    }
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
        return this.send({ type: 'pong' });
      case 'subscribe':
        return void this.subscribe(msg.topic, msg.sinceSeq);
      case 'unsubscribe':
        return this.unsubscribe(msg.topic);
    }
  }

  private async subscribe(topic: Topic, sinceSeq: number | undefined): Promise<void> {
    if (this.subs.has(topic)) {
      // Idempotent: the existing subscription already delivers everything.
      return this.send({ type: 'subscribed', topic });
    }
    if (this.subs.size >= this.ctx.limits.maxSubscriptions) {
      return this.error('bad_request', `too many subscriptions (max ${this.ctx.limits.maxSubscriptions} per connection)`, topic);
    }
    const { hub } = this.ctx;
    const sub = new Subscription(this, topic);
    this.subs.set(topic, sub);
    this.ctx.metrics.subscriptions.inc();
    const stillWanted = () => this.subs.get(topic) === sub && !this.closing;
    try {
      // Subscribe to the bus first (events buffer in `sub`), then read the replay: the
      // seam between the two is covered from both sides and merged by seq.
      const known = await hub.join(topic, sub, sinceSeq);
      if (!stillWanted()) return;
      // Where the topic stands: as the hub knows it (every later event reaches `sub`), or
      // else read from the bus. The lobby always exists; null = nothing published on it
      // yet (or Redis lost it).
      const last = known ?? (sub.isGame ? await this.waitForTopic(topic, sub) : await this.ctx.bus.lastSeq(topic));
      if (!stillWanted()) return;
      if (sub.isGame && last === null && !sinceSeq) {
        this.drop(topic, sub);
        return this.error('not_found', `no such game: ${topic}`, topic);
      }
      this.send({ type: 'subscribed', topic });
      // A client that names sinceSeq > 0 has seen this game's events (from REST), so the
      // game exists even when the bus has not seen it yet — the relay may be lagging
      // (load, a Redis failover) or the replay keys expired. It goes live from sinceSeq
      // instead of getting a not_found it could never recover from. (On the lobby a
      // later event's seq jumps past sinceSeq, and the socket is told to resync.)
      if (last === null) {
        sub.goLive(sinceSeq ?? null, { events: [], complete: true }, (e) => hub.frame(e));
        if (sub.isGame) this.ctx.presence.add(topic, sub);
        return;
      }
      // Without sinceSeq the client starts at "now" (it has the snapshot, or the lobby list).
      const from = sinceSeq ?? last;
      // The lobby's seqs come from the bus: a resume point beyond its last one was not
      // given by this counter (Redis lost its data since): resync rather than trust it.
      // The hub's last seq may only be behind the bus (this replica is a moment slower
      // than the one the client came from: load, a gap being filled), so it is checked
      // against the bus itself before the client is told to resync.
      const unknown = !sub.isGame && from > last && (known === null || from > ((await this.ctx.bus.lastSeq(topic)) ?? last));
      if (!stillWanted()) return;
      const replay = unknown ? { events: [], complete: false } : from < last ? await hub.history(topic, from) : { events: [], complete: true };
      if (!stillWanted()) return;
      sub.goLive(unknown ? last : from, replay, (e) => hub.frame(e));
      if (sub.isGame) this.ctx.presence.add(topic, sub);
    } catch (err) {
      this.ctx.log.warn({ err: (err as Error).message, topic }, 'subscribe failed');
      if (this.subs.get(topic) === sub) this.drop(topic, sub);
      this.error('unavailable', 'event bus unavailable; retry shortly', topic);
    }
  }

  /**
   * The game's last seq; waits a moment for a game created just now (its first event
   * may still be in the outbox). null = the bus has never seen this game. The bus
   * subscription is already active, so a first event shows up in the buffer: the wait
   * costs Redis two reads, not a poll.
   */
  private async waitForTopic(topic: Topic, sub: Subscription): Promise<number | null> {
    const last = await this.ctx.bus.lastSeq(topic);
    if (last !== null) return last;
    const deadline = Date.now() + this.ctx.limits.unknownTopicGraceMs;
    while (Date.now() < deadline && this.subs.get(topic) === sub) {
      const first = sub.buffered[0];
      if (first) return first.seq - 1;
      await sleep(50);
    }
    const first = sub.buffered[0];
    return first ? first.seq - 1 : this.ctx.bus.lastSeq(topic);
  }

  private unsubscribe(topic: Topic): void {
    const sub = this.subs.get(topic);
    if (sub) this.drop(topic, sub);
    this.send({ type: 'unsubscribed', topic });
  }

  private drop(topic: Topic, sub: Subscription): void {
    if (this.subs.get(topic) === sub) this.subs.delete(topic);
    sub.phase = 'ended';
    this.ctx.metrics.subscriptions.dec();
    this.ctx.hub.leave(topic, sub);
    if (sub.isGame) this.ctx.presence.remove(topic, sub);
  }

  private cleanup(): void {
    this.closing = true;
    this.ctx.signOuts.remove(this);
    this.ctx.metrics.connections.dec();
    for (const [topic, sub] of [...this.subs]) this.drop(topic, sub);
  }
}
