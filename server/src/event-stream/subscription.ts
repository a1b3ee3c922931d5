import type { BusEvent, ServerMessage, Topic } from '@monkeytown/shared';
import { isGameTopic } from '../bus/index.js';
import { mergeBySeq, type TopicMember } from './hub.js';
import type { PresenceMember } from './presence.js';

/** What a subscription needs from its connection. */
export interface SubscriptionOwner {
  /** The socket's signed-in player (null: anonymous): its presence on game topics. */
  readonly playerId: string | null;
  /** The version of the socket's token (0 when anonymous). */
  readonly tokenVersion: number;
  send(msg: ServerMessage): void;
  /** An `event` frame, as built once by the hub for every socket. */
  sendEventFrame(frame: Buffer, replayed: boolean): void;
  /** A message built once for many sockets (already checked against the contract). */
  sendFrame(frame: Buffer): void;
}

/** Events buffered while joining beyond this mean the socket could never catch up. */
const MAX_JOIN_BUFFER = 5000;

/**
 * One socket × one topic. While joining it buffers live events; once the replay read
 * is in, it sends replayed + buffered events merged by seq (no gap, no duplicate at
 * the seam) and then live ones, dropping any seq it already sent.
 */
export class Subscription implements TopicMember, PresenceMember {
  phase: 'joining' | 'live' | 'ended' = 'joining';
  private buffer: BusEvent[] = [];
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
    return this.buffer;
  }

  deliver(event: BusEvent, frame: Buffer): void {
    if (this.phase === 'joining') {
      if (this.buffer.length < MAX_JOIN_BUFFER) this.buffer.push(event);
      return;
    }
    if (this.phase === 'live') this.sendEvent(event, frame, false);
  }

  resync(): void {
    if (this.phase !== 'live') return; // a joining subscription checks its own seam
    this.owner.send({ type: 'resync', topic: this.topic });
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
    const buffered = this.buffer;
    this.buffer = [];
    this.phase = 'live';
    if (replay && !replay.complete) {
      this.owner.send({ type: 'resync', topic: this.topic });
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
        this.owner.send({ type: 'resync', topic: this.topic });
      }
    }
    this.lastSeq = event.seq;
    this.owner.sendEventFrame(frame, replayed);
  }
}
