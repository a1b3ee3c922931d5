import { BusEvent, type Topic } from '@monkeytown/shared';
import type { Bus } from '../bus/index.js';
import { busEventText } from '../bus/wire.js';
import type { Metrics } from './metrics.js';

/** One socket's subscription to a topic, as seen by the hub. */
export interface TopicMember {
  /** An event, in seq order, gap-free unless resync() was called before it; `frame` is its `event` message, the same bytes for every member. */
  deliver(event: BusEvent, frame: Buffer): void;
  /** The hub could not fill a gap from the replay buffer. */
  resync(): void;
}

interface TopicState {
  topic: Topic;
  members: Set<TopicMember>;
  /** Resolves once the bus subscription is active. */
  ready: Promise<void>;
  off: (() => Promise<void>) | undefined;
  /** Highest seq dispatched; null until known. */
  lastSeq: number | null;
  /** Non-null while a gap is being filled: live events that arrive meanwhile. */
  filling: BusEvent[] | null;
  /** The last few events up to lastSeq, contiguous (or empty): joiners' replays served from memory. */
  recent: BusEvent[];
}

export type ReplayResult = { events: BusEvent[]; complete: boolean; last?: number | null };

/** Events a topic keeps for joiners (a game's players subscribe just after its first events). */
const RECENT = 8;

/** Sorted by seq, one per seq, only seq > after. */
export function mergeBySeq(after: number, ...lists: (readonly BusEvent[])[]): BusEvent[] {
  const bySeq = new Map<number, BusEvent>();
  for (const list of lists) for (const e of list) if (e.seq > after && !bySeq.has(e.seq)) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * The process's topics: one bus subscription per topic however many sockets watch
 * it, one serialisation per event, and gap repair for the whole topic (a live event
 * whose seq jumps, or a bus that reconnected after an outage, triggers one replay read
 * that every socket of the topic shares). The lobby is handled like a game: its seqs
 * are contiguous too (the bus assigns them), only their origin differs.
 */
export class Hub {
  private readonly topics = new Map<Topic, TopicState>();
  private readonly inflightReplays = new Map<string, Promise<ReplayResult>>();
  private readonly frames = new WeakMap<BusEvent, Buffer | null>();
  private readonly offResubscribe: () => void;
  private readonly offInvalid: () => void;

  constructor(
    private readonly bus: Bus,
    private readonly metrics: Metrics,
    private readonly log: { warn(o: object, m?: string): void },
  ) {
    this.offResubscribe = bus.onResubscribe(() => this.catchUpAll());
    this.offInvalid = bus.onInvalidEvent((topic, where) => {
      this.metrics.invalidEvents.inc();
      this.log.warn({ topic, where }, 'dropping invalid bus message');
    });
  }

  get topicCount(): number {
    return this.topics.size;
  }

  /**
   * The topic's name as the hub already holds it, so its many subscriptions share one
   * string instead of each keeping the copy its subscribe message was parsed into.
   */
  intern(topic: Topic): Topic {
    return this.topics.get(topic)?.topic ?? topic;
  }

  members(topic: Topic): ReadonlySet<TopicMember> {
    return this.topics.get(topic)?.members ?? new Set();
  }

  /**
   * Add a member; resolves when the bus subscription is active (rejects if the bus
   * fails), with the topic's last seq as the hub knows it (null: not known). Every
   * event above that seq reaches the member from now on, so it is a valid resume point:
   * the member replays only up to it and needs no read of its own.
   */
  async join(topic: Topic, member: TopicMember, sinceSeq?: number): Promise<number | null> {
    let state = this.topics.get(topic);
    if (!state) {
      const created: TopicState = { topic, members: new Set(), ready: Promise.resolve(), off: undefined, lastSeq: null, filling: null, recent: [] };
      created.ready = this.open(created, sinceSeq);
      this.topics.set(topic, (state = created));
      this.metrics.topics.set(this.topics.size);
    }
    state.members.add(member);
    try {
      await state.ready;
    } catch (err) {
      state.members.delete(member);
      if (this.topics.get(topic) === state) {
        this.topics.delete(topic);
        this.metrics.topics.set(this.topics.size);
      }
      throw err;
    }
    return state.lastSeq;
  }

  leave(topic: Topic, member: TopicMember): void {
    const state = this.topics.get(topic);
    if (!state || !state.members.delete(member) || state.members.size > 0) return;
    this.topics.delete(topic);
    this.metrics.topics.set(this.topics.size);
    void state.ready.then(
      () => state.off?.(),
      () => {},
    ).catch((err: Error) => this.log.warn({ err: err.message, topic }, 'bus unsubscribe failed'));
  }

  /**
   * What a member that has joined `topic` needs after `sinceSeq` up to the hub's last
   * seq (every later event reaches it live): from the topic's recent events when they
   * reach back that far (no Redis read), else from the replay buffer.
   */
  history(topic: Topic, sinceSeq: number): Promise<ReplayResult> {
    const state = this.topics.get(topic);
    const first = state?.recent[0];
    if (state && first && state.lastSeq !== null && sinceSeq >= first.seq - 1 && sinceSeq <= state.lastSeq) {
      return Promise.resolve({ events: state.recent.filter((e) => e.seq > sinceSeq), complete: true });
    }
    return this.replay(topic, sinceSeq);
  }

  /** Replay read shared by every caller asking the same question at the same time. */
  replay(topic: Topic, sinceSeq: number): Promise<ReplayResult> {
    const key = `${topic}|${sinceSeq}`;
    let p = this.inflightReplays.get(key);
    if (!p) {
      p = this.bus.replay(topic, sinceSeq).finally(() => this.inflightReplays.delete(key));
      this.inflightReplays.set(key, p);
    }
    return p;
  }

  /**
   * The `event` frame of a bus event, built once per event and process and sent as the
   * same bytes to every socket. Events off the Redis bus were validated as they were
   * decoded and carry their JSON text (bus/wire.ts): the frame is that text with the
   * message type put in front, no parse, no second check, no serialisation. Any other
   * event (the in-process bus's) is checked against the contract here; an invalid one
   * is dropped (null) and counted.
   */
  frame(event: BusEvent): Buffer | null {
    let frame = this.frames.get(event);
    if (frame === undefined) {
      const text = busEventText(event) ?? this.validatedText(event);
      frame = text === null ? null : Buffer.from(`{"type":"event",${text.slice(1)}`);
      this.frames.set(event, frame);
    }
    return frame;
  }

  private validatedText(event: BusEvent): string | null {
    const parsed = BusEvent.safeParse(event);
    if (parsed.success) return JSON.stringify(parsed.data);
    this.metrics.invalidEvents.inc();
    this.log.warn({ topic: event.topic, seq: event.seq }, 'dropping invalid bus event');
    return null;
  }

  async close(): Promise<void> {
    this.offResubscribe();
    this.offInvalid();
    const states = [...this.topics.values()];
    this.topics.clear();
    await Promise.all(states.map((s) => s.ready.then(() => s.off?.(), () => {}).catch(() => {})));
  }

  /**
   * Subscribe, then learn where the topic stands so the first live event can already
   * reveal a gap. With the first joiner's resume point that is one read of what it
   * needs (the replay after `sinceSeq` and the last seq, atomically), kept as the
   * topic's recent events for every joiner; without one, just the last seq.
   */
  private async open(state: TopicState, sinceSeq: number | undefined): Promise<void> {
    state.off = await this.bus.subscribe(state.topic, (e) => this.onEvent(state, e));
    if (sinceSeq === undefined) {
      const last = await this.bus.lastSeq(state.topic).catch(() => null);
      if (last !== null && (state.lastSeq === null || last > state.lastSeq)) {
        state.lastSeq = last;
        state.recent = [];
      }
      return;
    }
    const read = await this.replay(state.topic, sinceSeq).catch(() => null);
    const last = read?.last ?? null;
    if (last === null || (state.lastSeq !== null && last <= state.lastSeq)) return;
    state.lastSeq = last;
    // Kept only if it is exactly (sinceSeq, last], contiguous.
    const events = read!.events;
    const whole = read!.complete && events.length === last - sinceSeq && events.every((e, i) => e.seq === sinceSeq + 1 + i);
    state.recent = whole ? events.slice(-RECENT) : [];
  }

  private onEvent(state: TopicState, event: BusEvent): void {
    this.metrics.eventsIn.inc();
    if (state.filling) {
      state.filling.push(event);
      return;
    }
    const last = state.lastSeq;
    if (last !== null && event.seq <= last) return; // already dispatched
    if (last !== null && event.seq > last + 1) {
      void this.fill(state, [event]);
      return;
    }
    state.lastSeq = event.seq;
    this.dispatch(state, event);
  }

  /** Read the gap (lastSeq, …] from the replay buffer, then dispatch it and what queued meanwhile. */
  private async fill(state: TopicState, queued: BusEvent[]): Promise<void> {
    if (state.filling || state.lastSeq === null) return;
    state.filling = queued;
    const from = state.lastSeq;
    let result: ReplayResult | null = null;
    try {
      result = await this.replay(state.topic, from);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, topic: state.topic }, 'gap fill failed');
    }
    const arrived = state.filling;
    state.filling = null;
    const merged = mergeBySeq(from, result?.events ?? [], arrived);
    const gapless = merged.every((e, i) => e.seq === from + 1 + i);
    // A failed read only matters if what we hold has a hole; an incomplete buffer always does.
    const lost = result ? !result.complete || !gapless : !gapless;
    if (lost) {
      // Could not fill: every member re-fetches from REST (only after a real loss).
      this.metrics.resyncs.inc();
      for (const m of [...state.members]) m.resync();
    } else if (merged.length > 0) {
      this.metrics.gapFills.inc();
    }
    for (const e of merged) {
      state.lastSeq = e.seq;
      this.dispatch(state, e);
    }
  }

  private catchUpAll(): void {
    for (const state of this.topics.values()) {
      if (state.lastSeq !== null) void this.fill(state, []);
    }
  }

  private dispatch(state: TopicState, event: BusEvent): void {
    // Recent events stay contiguous up to lastSeq: a hole starts them afresh.
    if (state.recent.at(-1)?.seq !== event.seq - 1) state.recent = [];
    state.recent.push(event);
    if (state.recent.length > RECENT) state.recent.shift();
    const frame = this.frame(event);
    if (frame === null) return;
    for (const m of [...state.members]) m.deliver(event, frame);
  }
}
