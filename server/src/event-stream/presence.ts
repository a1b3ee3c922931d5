import { ServerMessage, type Topic } from '@monkeytown/shared';
import type { Bus } from '../bus/index.js';
import type { PresentPlayer } from '../bus/types.js';
import { changesBetween, holdMs, shapeOf, type Shape } from './presence-pace.js';

/** Something that shows a game's presence to its socket (a live game subscription). */
export interface PresenceMember {
  /** The signed-in player of the socket (null: anonymous). */
  readonly playerId: string | null;
  /** The version of the token the socket opened with (a claim ignores streams of signed-out tokens). */
  readonly tokenVersion: number;
  /** The topic's `presence` message (`frame`, the same bytes for every member); `key` names its content. */
  presence(key: string, frame: Buffer): void;
}

const WRITE_DEBOUNCE_MS = 50;
const READ_DEBOUNCE_MS = 100;
/**
 * Re-read totals this often: a safety net for a lost announcement (a replica that died is
 * announced by the one that cleans up after it, bus/redis-replicas.ts).
 */
const REFRESH_MS = 15_000;

/** What this replica has shown a topic's sockets, and the newest state it read (see presence-pace.ts). */
interface Shown {
  /** The newest state read: the message's text (each socket's key for it), frame and shape. */
  latest: { text: string; frame: Buffer; shape: Shape } | null;
  /** Changes read since the last broadcast, and when the state read last changed. */
  changes: number;
  changedAt: number;
  /** The last broadcast to every socket of the topic. */
  sent: { text: string; urgent: string; at: number } | null;
  /** Arrivals since the last read: they are sent the next state read, by themselves. */
  fresh: Set<PresenceMember>;
  /** An arrival was sent a state newer than the broadcast: sockets may differ until the next one. */
  mixed: boolean;
  /** The paced broadcast waiting for its turn. */
  timer: NodeJS.Timeout | undefined;
}

/** Topics collected over a window that starts with the first one; then `flush` for each, in one tick. */
class TopicWindow {
  private readonly topics = new Set<Topic>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly flush: (topic: Topic) => void,
  ) {}

  add(topic: Topic): void {
    this.topics.add(topic);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const topics = [...this.topics];
      this.topics.clear();
      for (const t of topics) this.flush(t);
    }, this.ms);
    this.timer.unref();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.topics.clear();
  }
}

/**
 * Spectators and player presence per game topic across replicas. Each replica writes its
 * own count per topic, and the signed-in players among its sockets with their newest
 * token version (bus.setPresence → Redis hash fields per replica) and announces the
 * change; every replica with watchers of that topic re-reads the total and the list of
 * players (the seats first, online or offline since when; capped) and tells its sockets.
 * The game-server looks a claim's opponent up by id in the same data (bus.standing), not
 * in the capped list. Writes are debounced so a crowd arriving at once costs a few Redis
 * writes, not one each; what is read goes to the sockets paced (presence-pace.ts), so a
 * crowd arriving at once costs each arrival one message, not one to everybody there.
 */
export class Presence {
  private readonly local = new Map<Topic, Set<PresenceMember>>();
  private readonly shown = new Map<Topic, Shown>();
  /**
   * Writes and reads are debounced per window for all topics together, not per topic:
   * every topic that changed in the window goes out in the same tick, which the bus turns
   * into one Redis pipeline (bus/per-tick.ts) instead of one round trip per topic.
   */
  private readonly writes = new TopicWindow(WRITE_DEBOUNCE_MS, (t) => this.write(t));
  private readonly reads = new TopicWindow(READ_DEBOUNCE_MS, (t) => void this.read(t));
  private readonly refresh: NodeJS.Timeout;
  private offPresence: (() => Promise<void>) | undefined;
  private closed = false;

  constructor(
    private readonly bus: Bus,
    private readonly log: { warn(o: object, m?: string): void },
  ) {
    this.refresh = setInterval(() => {
      for (const topic of this.local.keys()) this.scheduleRead(topic);
    }, REFRESH_MS);
    this.refresh.unref();
  }

  /** Listen for other replicas' changes (best effort: without it counts refresh every 15 s). */
  async start(): Promise<void> {
    try {
      this.offPresence = await this.bus.onPresence((topic) => this.scheduleRead(topic));
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'presence channel unavailable; relying on refresh');
    }
  }

  add(topic: Topic, member: PresenceMember): void {
    let set = this.local.get(topic);
    if (!set) this.local.set(topic, (set = new Set()));
    set.add(member);
    let shown = this.shown.get(topic);
    if (!shown) this.shown.set(topic, (shown = { latest: null, changes: 0, changedAt: 0, sent: null, fresh: new Set(), mixed: false, timer: undefined }));
    // The arrival learns who is there with the read its own write brings (~150 ms),
    // by itself; the others hear of it paced.
    shown.fresh.add(member);
    this.scheduleWrite(topic);
  }

  remove(topic: Topic, member: PresenceMember): void {
    const set = this.local.get(topic);
    if (!set?.delete(member)) return;
    this.shown.get(topic)?.fresh.delete(member);
    if (set.size === 0) {
      this.local.delete(topic);
      clearTimeout(this.shown.get(topic)?.timer);
      this.shown.delete(topic);
    }
    this.scheduleWrite(topic);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.refresh);
    this.writes.cancel();
    this.reads.cancel();
    for (const shown of this.shown.values()) clearTimeout(shown.timer);
    this.shown.clear();
    const topics = [...this.local.keys()];
    this.local.clear();
    await Promise.all(topics.map((t) => this.bus.setPresence(t, 0, []).catch(() => {})));
    await this.offPresence?.().catch(() => {});
  }

  private scheduleWrite(topic: Topic): void {
    if (!this.closed) this.writes.add(topic);
  }

  private write(topic: Topic): void {
    const members = this.local.get(topic) ?? new Set<PresenceMember>();
    // Each signed-in player once, with the newest token version among their sockets.
    const newest = new Map<string, number>();
    for (const m of members) if (m.playerId !== null) newest.set(m.playerId, Math.max(m.tokenVersion, newest.get(m.playerId) ?? 0));
    const players: PresentPlayer[] = [...newest].map(([playerId, tokenVersion]) => ({ playerId, tokenVersion }));
    // The bus announces the change, which schedules the read on every replica (us too);
    // read ourselves as well in case the announcement is lost.
    this.bus.setPresence(topic, members.size, players).then(
      () => this.scheduleRead(topic),
      (err: Error) => this.log.warn({ err: err.message, topic }, 'presence write failed'),
    );
  }

  private scheduleRead(topic: Topic): void {
    if (!this.closed && this.local.has(topic)) this.reads.add(topic);
  }

  private async read(topic: Topic): Promise<void> {
    try {
      const state = await this.bus.presence(topic);
      // One message for the topic, checked and serialised once, whichever members it goes to.
      const text = JSON.stringify(ServerMessage.parse({ type: 'presence', topic, spectators: state.spectators, players: state.players }));
      const shown = this.shown.get(topic);
      if (!shown || this.closed) return; // nobody here watches it any more
      if (text === shown.latest?.text) return this.pace(topic, shown);
      const shape = shapeOf(state);
      if (shown.latest) shown.changes += changesBetween(shown.latest.shape, shape);
      shown.changedAt = Date.now();
      shown.latest = { text, frame: Buffer.from(text), shape };
      this.pace(topic, shown);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, topic }, 'presence read failed');
    }
  }

  /** Broadcast the newest state now, or when its turn comes (presence-pace.ts). */
  private pace(topic: Topic, shown: Shown): void {
    const members = this.local.get(topic);
    const latest = shown.latest;
    if (!members || !latest || this.shown.get(topic) !== shown) return;
    const due = latest.text !== shown.sent?.text || shown.mixed;
    const { changes, changedAt } = shown;
    const wait = due ? holdMs({ sent: shown.sent, urgent: latest.shape.urgent, changes, changedAt, audience: members.size }, Date.now()) : Infinity;
    if (wait > 0) {
      // Arrivals are not kept waiting for the pace: each is sent the newest state now.
      for (const m of shown.fresh) m.presence(latest.text, latest.frame);
      if (shown.fresh.size > 0 && latest.text !== shown.sent?.text) shown.mixed = true;
      shown.fresh.clear();
    }
    if (wait === Infinity) return;
    if (wait > 0) {
      // A waiting broadcast sends whatever is newest when it fires (and may wait again:
      // the crowd is still arriving). A sooner turn (a seat) replaces it.
      clearTimeout(shown.timer);
      shown.timer = setTimeout(() => {
        shown.timer = undefined;
        this.pace(topic, shown);
      }, wait);
      shown.timer.unref();
      return;
    }
    clearTimeout(shown.timer);
    shown.timer = undefined;
    // Each member skips a state it already has (an arrival given it): no second write.
    for (const m of [...members]) m.presence(latest.text, latest.frame);
    shown.sent = { text: latest.text, urgent: latest.shape.urgent, at: Date.now() };
    shown.mixed = false;
    shown.fresh.clear();
    shown.changes = 0;
  }
}
