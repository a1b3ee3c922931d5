/** A socket the heartbeat pings: `alive` is set again by its pong (or any message). */
export interface Beating {
  alive: boolean;
  /** Where the heartbeat keeps it (set by add(); -1 or absent: not held). */
  beatBucket?: number;
  beatSlot?: number;
}

export interface HeartbeatActions<T> {
  ping(socket: T): void;
  /** It missed the previous ping: a dead peer. */
  dead(socket: T): void;
}

/** How often a tick runs: the interval is cut into buckets of this length. */
export const TICK_MS = 250;

/**
 * Protocol pings keep idle sockets alive through nginx/ALB (60 s idle) and find dead
 * peers: a socket that has not answered the previous ping is terminated.
 *
 * The sockets are spread over buckets, one per TICK_MS of the interval, and each tick
 * pings one bucket, so every socket is still pinged once per interval but never all at
 * once (issue 28: with 19,500 sockets a round pinging all of them inside an event's
 * fan-out pushed that event's p99 from ~320 to ~500 ms). Sockets are dealt to the
 * buckets in turn, so a crowd that connects at once is spread evenly; a socket's first
 * ping comes within one interval of connecting, as before.
 *
 * It is also the process's list of its sockets (size, all()): a socket costs one array
 * slot here and two small integers on itself (its bucket and slot), not a Set entry, a
 * Map entry to find it again and another Map of connections besides.
 */
export class Heartbeat<T extends Beating> {
  private readonly buckets: T[][];
  private next = 0;
  private tick = 0;
  private count = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    intervalMs: number,
    private readonly act: HeartbeatActions<T>,
    tickMs = TICK_MS,
  ) {
    const n = Math.max(1, Math.round(intervalMs / tickMs));
    this.buckets = Array.from({ length: n }, () => []);
    this.timer = setInterval(() => this.beat(), intervalMs / n);
    this.timer.unref();
  }

  add(socket: T): void {
    if ((socket.beatBucket ?? -1) >= 0) return;
    const b = this.next++ % this.buckets.length;
    const bucket = this.buckets[b]!;
    socket.beatBucket = b;
    socket.beatSlot = bucket.length;
    bucket.push(socket);
    this.count++;
  }

  remove(socket: T): void {
    const b = socket.beatBucket ?? -1;
    if (b < 0) return;
    const bucket = this.buckets[b]!;
    // The last one takes its slot: O(1), no holes.
    const last = bucket.pop()!;
    if (last !== socket) {
      bucket[socket.beatSlot!] = last;
      last.beatSlot = socket.beatSlot;
    }
    socket.beatBucket = -1;
    socket.beatSlot = -1;
    this.count--;
  }

  /** Sockets held. */
  get size(): number {
    return this.count;
  }

  /** Every socket held, in a new array (safe to close them while walking it). */
  all(): T[] {
    return this.buckets.flat();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The largest bucket: what one tick costs at most. */
  get widest(): number {
    return Math.max(...this.buckets.map((b) => b.length));
  }

  private beat(): void {
    const bucket = this.buckets[this.tick++ % this.buckets.length]!;
    for (const socket of [...bucket]) {
      if (!socket.alive) {
        this.remove(socket);
        this.act.dead(socket);
        continue;
      }
      socket.alive = false;
      this.act.ping(socket);
    }
  }
}
