import type { BusEvent, Topic } from '@monkeytown/shared';
import type { Db } from '../db/index.js';
import type { EventBus } from '../bus/types.js';
import type { Metrics } from '../plugins/metrics.js';

import { randomUUID } from 'node:crypto';
import { withTimeout } from './timeout.js';

interface OutboxRow {
  id: number;
  topic: string;
  seq: number;
  kind: string;
  data: unknown;
  at: Date;
  /** A game row's floor: its game's lowest unpublished seq (every seq below was published); 0 for the lobby. */
  floor: number;
}

/**
 * Unpublished rows with their game's floor, read in one statement (one snapshot): a
 * row is deleted (marked published) only after the bus took it, so every seq below the
 * lowest one left is on the bus (or was, on a Redis that has since lost it). A game
 * event's row carries no data (migration 012): it is read from `events`, where the
 * same statement stored it. `published_at IS NULL`: rows an older build marked.
 */
export const selectRows = (where: string) => `
  SELECT o.id, o.topic, o.seq, o.kind, o.at,
    CASE WHEN o.data IS NOT NULL THEN o.data
      ELSE (SELECT e.data FROM events e WHERE e.game_id = substr(o.topic, 6)::uuid AND e.seq = o.seq) END AS data,
    CASE WHEN o.topic = 'lobby' THEN 0 ELSE
      (SELECT min(f.seq) FROM outbox f WHERE f.topic = o.topic AND f.published_at IS NULL) END AS floor
  FROM outbox o WHERE o.published_at IS NULL AND ${where} ORDER BY o.id LIMIT $1`;

export interface RelayOptions {
  db: Db;
  bus: EventBus;
  metrics?: Metrics;
  pollMs: number;
  batchSize?: number;
  leaseMs?: number;
  /**
   * Only rows older than this are published (0: all). With a DirectPublisher the
   * committing process publishes its own rows at once; the relay then sweeps only what
   * is left over (a crash between COMMIT and publish, a bus outage).
   */
  graceMs?: number;
  /** Outbox ids this process is publishing itself right now → topic (their games are skipped this pass). */
  pending?: ReadonlyMap<number, string>;
  log?: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

/**
 * Publishes committed outbox rows the committing process did not (it crashed between
 * COMMIT and publish, the bus was down) and marks them published.
 *
 * The bus puts a game's events out strictly in seq order whoever hands them in
 * (EventBus.publish), so the relay needs no ordering of its own: each game row goes with
 * its game's floor (selectRows), which anchors a game whose last seq the bus lost. Only
 * the replica holding the relay lease sweeps (relay_lease row, renewed every pass), and
 * only rows older than the grace period (the committing process publishes the rest
 * itself at once): that keeps one sweeper and few second publishes, not order. Rows are
 * marked (deleted) only after the bus took them ('published', or 'duplicate': out already); a
 * 'parked' row goes out behind its predecessor and is marked on a later pass. When the
 * bus rejects or times out (Redis down) nothing is marked and the same rows are retried
 * on the next pass. No transaction is open while publishing.
 *
 * `anchor(topics)` publishes the given topics' rows at once, without the lease or the
 * grace (the publisher asks for it when the bus could not place an event, and it
 * retries until the bus takes them): safe for the same reason, the bus's order does not
 * depend on who publishes.
 *
 * Lobby rows carry seq 0 in the table; they are handed to the bus with their outbox
 * id as seq: the event's id, which the bus replaces with the lobby's next seq at
 * publish time (and uses to drop a row the committing process published already).
 */
/** How often anchor() tries again while the bus refuses. */
const ANCHOR_RETRY_MS = 250;

export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = true;
  private idle: Promise<void> = Promise.resolve();
  private failures = 0;
  private passes = 0;
  private readonly id = randomUUID();
  /** A relay that stalls longer than this loses the lease to another replica. */
  private readonly leaseMs: number;
  private readonly publishTimeoutMs: number;
  /** Topics waiting for anchor(). */
  private anchoring = new Set<string>();

  constructor(private readonly o: RelayOptions) {
    this.leaseMs = o.leaseMs ?? 10_000;
    this.publishTimeoutMs = Math.floor(this.leaseMs / 2);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Wake now (after a commit in this process) instead of waiting for the poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.idle;
  }

  /**
   * Publish these topics' unpublished rows now, with their games' floors: the committing
   * process could not place them (the bus was down, or did not know the game's last
   * seq). They go out at the start of the next pass, which runs at once (passes never
   * overlap in a process, so the sweep cannot publish the same rows beside it); while
   * the bus refuses, passes come every `ANCHOR_RETRY_MS`, so a game's events go out as
   * soon as the bus is back, not a sweep grace period later.
   */
  anchor(topics: readonly string[]): void {
    for (const t of topics) this.anchoring.add(t);
    this.kick();
  }

  /** Hand the lease over at once (shutdown) instead of letting it expire. */
  async release(): Promise<void> {
    await this.releaseLease().catch(() => {});
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loop(), ms);
    this.timer.unref?.();
  }

  private async loop(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    let done!: () => void;
    this.idle = new Promise((r) => (done = r));
    let more = false;
    try {
      more = await this.pass();
      this.failures = 0;
    } catch (err) {
      this.failures += 1;
      this.o.metrics?.outboxFailures.inc();
      void this.updateBacklog().catch(() => {});
      if (this.failures === 1 || this.failures % 50 === 0) {
        this.o.log?.warn({ err, failures: this.failures }, 'outbox publish failed; rows kept for the next pass');
      }
    } finally {
      this.running = false;
      done();
    }
    // Back off a little while the bus is down (not for long while topics wait to be
    // anchored); go straight on while there is a backlog.
    const backoff = this.failures
      ? Math.min(this.o.pollMs * 2 ** Math.min(this.failures, 4), this.anchoring.size ? ANCHOR_RETRY_MS : 2000)
      : this.o.pollMs;
    const again = this.again || more;
    this.again = false;
    this.schedule(again && !this.failures ? 0 : backoff);
  }

  /**
   * The topics anchor() was given, without lease or grace (safe: the bus keeps each
   * game's order whoever publishes). True when a batch was full (more may wait).
   */
  private async publishAnchored(): Promise<boolean> {
    if (this.anchoring.size === 0) return false;
    const limit = this.o.batchSize ?? 500;
    const batch = [...this.anchoring];
    this.anchoring.clear();
    try {
      const { rows } = await this.o.db.query<OutboxRow>(selectRows('o.topic = ANY($2::text[])'), [limit, batch]);
      await this.publishRows(rows);
      // A full batch (an outage leaves many rows, the lobby's above all): go on at once.
      if (rows.length < limit) return false;
    } catch (err) {
      for (const t of batch) this.anchoring.add(t);
      throw err;
    }
    for (const t of batch) this.anchoring.add(t);
    return true;
  }

  /** One relay pass; true when a full batch was published (more may be waiting). */
  async pass(): Promise<boolean> {
    const limit = this.o.batchSize ?? 500;
    const anchoredMore = await this.publishAnchored();
    if (!(await this.acquireLease())) return anchoredMore;
    const grace = this.o.graceMs ?? 0;
    const { rows: found } = await this.o.db.query<OutboxRow>(
      grace > 0 ? selectRows(`o.at < now() - $2::int * interval '1 millisecond'`) : selectRows('true'),
      grace > 0 ? [limit, grace] : [limit],
    );
    const pending = this.o.pending;
    const busy = pending?.size ? new Set(pending.values()) : null;
    const rows = busy ? found.filter((r) => r.topic === 'lobby' ? !pending!.has(Number(r.id)) : !busy.has(r.topic)) : found;
    await this.publishRows(rows);
    // Housekeeping, by the one relay holding the lease: published rows are deleted when
    // marked (an older build kept them, marked, for a while), Idempotency-Keys are
    // honoured for a day.
    if (++this.passes % 300 === 0) {
      await this.o.db.query("DELETE FROM outbox WHERE published_at < now() - interval '1 hour'");
      await this.o.db.query("DELETE FROM idempotency WHERE created_at < now() - interval '1 day'");
    }
    // The backlog metric from the pass itself; a count only when the pass was full.
    if (found.length < limit) this.o.metrics?.outboxBacklog.set(found.length);
    else await this.updateBacklog();
    return anchoredMore || rows.length >= limit;
  }

  /** Publish rows (with their floors), then mark those the bus took. */
  private async publishRows(rows: readonly OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    const floors = new Map<string, number>();
    const events: BusEvent[] = rows.map((r) => {
      if (r.topic !== 'lobby') floors.set(r.topic, Number(r.floor));
      return {
        topic: r.topic as Topic,
        seq: r.topic === 'lobby' ? Number(r.id) : r.seq,
        kind: r.kind,
        data: r.data,
        at: r.at.toISOString(),
      };
    });
    const results = await withTimeout(this.o.bus.publish(events, floors), this.publishTimeoutMs, 'bus publish timed out');
    const taken = rows.filter((_, i) => results[i] === 'published' || results[i] === 'duplicate').map((r) => r.id);
    if (taken.length) await this.o.db.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [taken]);
    this.o.metrics?.outboxPublished.inc(taken.length);
  }

  /**
   * Take or renew the relay lease. The UPDATE's row lock serialises replicas: the
   * loser re-reads the winner's row and matches nothing.
   */
  private async acquireLease(): Promise<boolean> {
    const { rowCount } = await this.o.db.query(
      `UPDATE relay_lease SET holder = $1, until = now() + $2::int * interval '1 millisecond'
       WHERE id = 1 AND (holder = $1 OR until < now())`,
      [this.id, this.leaseMs],
    );
    return rowCount > 0;
  }

  private async releaseLease(): Promise<void> {
    await this.o.db.query("UPDATE relay_lease SET until = 'epoch' WHERE id = 1 AND holder = $1", [this.id]);
  }

  async backlog(): Promise<number> {
    const { rows } = await this.o.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
    return rows[0]?.n ?? 0;
  }

  private async updateBacklog(): Promise<void> {
    if (!this.o.metrics) return;
    this.o.metrics.outboxBacklog.set(await this.backlog());
  }
}
