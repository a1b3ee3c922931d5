import type { BusEvent, ServerMessage, Topic } from '@monkeytown/shared';
import { isGameTopic, type Bus } from '../bus/index.js';
import { mergeBySeq, type TopicMember } from './hub.js';
import type { PresenceMember } from './presence.js';

/** What a subscription needs from its connection. */
export interface SubscriptionOwner {
  /** The socket's signed-in player (null: anonymous): its presence on game topics. */
  readonly playerId: string | null;
  /** The version of the socket's token (0 when anonymous). */
  readonly tokenVersion: number;
  sendMessage(msg: ServerMessage): void;
  /** An `event` frame, as built once by the hub for every socket. */
  sendEventFrame(frame: Buffer, replayed: boolean): void;
  /** A message built once for many sockets (already checked against the contract). */
  sendFrame(frame: Buffer): void;
}

/** Events buffered while joining beyond this mean the socket could never catch up. */
const MAX_JOIN_BUFFER = 5000;
const NO_EVENTS: readonly BusEvent[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One socket × one topic. While joining it buffers live events; once the replay read
 * is in, it sends replayed + buffered events merged by seq (no gap, no duplicate at
 * the seam) and then live ones, dropping any seq it already sent.
 */
export class Subscription implements TopicMember, PresenceMember {
  phase: 'joining' | 'live' | 'ended' = 'joining';
  /** Live events while joining; none (no array) on most sockets, and none once live. */
  private buffer: BusEvent[] | null = null;
  /** Highest seq sent; null = accept the next one (fresh or after resync). */
  lastSeq: number | null = null;
  private lastPresence = '';
  readonly isGame: boolean;

  constructor(
    private readonly owner: SubscriptionOwner,
    readonly topic: Topic,
  ) {
    this.isGame = isGameTopic(topic);
  }

  get buffered(): readonly BusEvent[] {
    return this.buffer ?? NO_EVENTS;
  }

  deliver(event: BusEvent, frame: Buffer): void {
    if (this.phase === 'joining') {
      const buffer = (this.buffer ??= []);
      if (buffer.length < MAX_JOIN_BUFFER) buffer.push(event);
      return;
    }
    if (this.phase === 'live') this.sendEvent(event, frame, false);
  }

  /**
   * The game's last seq; waits a moment for a game created just now (its first event
   * may still be in the outbox). null = the bus has never seen this game. The bus
   * subscription is already active, so a first event shows up in the buffer: the wait
   * costs Redis two reads, not a poll.
   */
  async waitForTopic(bus: Bus, graceMs: number): Promise<number | null> {
    const last = await bus.lastSeq(this.topic);
    if (last !== null) return last;
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && this.phase !== 'ended') {
      const first = this.buffered[0];
      if (first) return first.seq - 1;
      await sleep(50);
    }
    const first = this.buffered[0];
    return first ? first.seq - 1 : bus.lastSeq(this.topic);
  }

  resync(): void {
    if (this.phase !== 'live') return; // a joining subscription checks its own seam
    this.owner.sendMessage({ type: 'resync', topic: this.topic });
    this.lastSeq = null;
  }

  get playerId(): string | null {
    return this.owner.playerId;
  }

  get tokenVersion(): number {
    return this.owner.tokenVersion;
  }

  /** `frame`: the topic's `presence` message, the same bytes for every socket; `key` names its content. */
  presence(key: string, frame: Buffer): void {
    if (this.phase !== 'live' || key === this.lastPresence) return;
    this.lastPresence = key;
    this.owner.sendFrame(frame);
  }

  /**
   * Go live after the replay read. `from` = last seq the client has (null: none, start
   * with whatever comes); `replay` = the buffer's answer for seq > from (null: no read).
   */
  goLive(from: number | null, replay: { events: BusEvent[]; complete: boolean } | null, frame: (e: BusEvent) => Buffer | null): void {
    const buffered = this.buffer ?? NO_EVENTS;
    this.buffer = null;
    this.phase = 'live';
    if (replay && !replay.complete) {
      this.owner.sendMessage({ type: 'resync', topic: this.topic });
      from = null;
    }
    this.lastSeq = from;
    const replayed = new Set(replay?.complete ? replay.events.map((e) => e.seq) : []);
    for (const e of mergeBySeq(from ?? -1, replay?.complete ? replay.events : [], buffered)) {
      const bytes = frame(e);
      if (bytes !== null) this.sendEvent(e, bytes, replayed.has(e.seq));
    }
  }

  private sendEvent(event: BusEvent, frame: Buffer, replayed: boolean): void {
    if (this.lastSeq !== null) {
      if (event.seq <= this.lastSeq) return;
      if (event.seq > this.lastSeq + 1) {
        // Missing events nobody could fill: tell the client before moving on.
        this.owner.sendMessage({ type: 'resync', topic: this.topic });
      }
    }
    this.lastSeq = event.seq;
    this.owner.sendEventFrame(frame, replayed);
  }
}
