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
}

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
 * Publishes committed outbox rows to the bus, in id order, and marks them published.
 *
 * Only the replica holding the relay lease (relay_lease row, renewed every pass)
 * publishes, so rows go out in id order — per game that is commit order, since a
 * game's transactions are serialised by its row lock. Rows are marked only after
 * bus.publish resolved; when it rejects or times out (Redis down) nothing is marked
 * and the same rows are retried on the next pass. Delivery to the bus is therefore
 * at-least-once, and the bus drops game events whose seq it already published, so
 * subscribers see each event once. No transaction is open while publishing.
 *
 * Lobby rows carry seq 0 in the table; they are handed to the bus with their outbox
 * id as seq: the event's id, which the bus replaces with the lobby's next seq at
 * publish time (and uses to drop a row the committing process published already).
 */
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
    // Back off a little while the bus is down; go straight on while there is a backlog.
    const backoff = this.failures ? Math.min(this.o.pollMs * 2 ** Math.min(this.failures, 4), 2000) : this.o.pollMs;
    const again = this.again || more;
    this.again = false;
    this.schedule(again && !this.failures ? 0 : backoff);
  }

  /** One relay pass; true when a full batch was published (more may be waiting). */
  async pass(): Promise<boolean> {
    const limit = this.o.batchSize ?? 500;
    if (!(await this.acquireLease())) return false;
    const grace = this.o.graceMs ?? 0;
    const { rows: found } = await this.o.db.query<OutboxRow>(
      grace > 0
        ? `SELECT id, topic, seq, kind, data, at FROM outbox WHERE published_at IS NULL
           AND at < now() - $2::int * interval '1 millisecond' ORDER BY id LIMIT $1`
        : 'SELECT id, topic, seq, kind, data, at FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1',
      grace > 0 ? [limit, grace] : [limit],
    );
    const pending = this.o.pending;
    const busy = pending?.size ? new Set(pending.values()) : null;
    const rows = busy ? found.filter((r) => r.topic === 'lobby' ? !pending!.has(Number(r.id)) : !busy.has(r.topic)) : found;
    if (rows.length > 0) {
      const events: BusEvent[] = rows.map((r) => ({
        topic: r.topic as Topic,
        seq: r.topic === 'lobby' ? Number(r.id) : r.seq,
        kind: r.kind,
        data: r.data,
        at: r.at.toISOString(),
      }));
      await withTimeout(this.o.bus.publish(events), this.publishTimeoutMs, 'bus publish timed out');
      await this.o.db.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
      this.o.metrics?.outboxPublished.inc(rows.length);
    }
    // Housekeeping, by the one relay holding the lease: published rows only matter for a
    // short while (debugging), Idempotency-Keys are honoured for a day.
    if (++this.passes % 300 === 0) {
      await this.o.db.query("DELETE FROM outbox WHERE published_at < now() - interval '1 hour'");
      await this.o.db.query("DELETE FROM idempotency WHERE created_at < now() - interval '1 day'");
    }
    // The backlog metric from the pass itself; a count only when the pass was full.
    if (found.length < limit) this.o.metrics?.outboxBacklog.set(found.length);
    else await this.updateBacklog();
    return rows.length >= limit;
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
