import type { BusEvent } from '@monkeytown/shared';
import type { Db } from '../db/index.js';
import type { EventBus } from '../bus/types.js';
import { withTimeout } from './timeout.js';

/** An event as committed: its outbox row id and what goes on the bus. */
export interface CommittedEvent {
  outboxId: number;
  event: BusEvent;
}

export interface PublisherOptions {
  bus: EventBus;
  db: Db;
  /** Published rows are marked in the next batch write, or after this long without one. */
  markDelayMs?: number;
  publishTimeoutMs?: number;
  log?: { warn(obj: object, msg?: string): void };
}

/**
 * Publishes committed events straight from the process that committed them, in the
 * order they were handed over (one pipeline at a time), with the bus's `publishDirect`:
 * a game event goes out only as its game's next seq. What it could not publish (bus
 * down, an earlier event of the game missing because its publisher crashed) stays
 * unpublished in the outbox, where the relay's sweep finds it after a grace period and
 * publishes the game's rows in order; the seq dedup on the bus keeps delivery
 * exactly-once whichever of the two gets there first. Published rows are marked in the
 * outbox later, in bulk (piggybacked on the next batch write): until then the relay of
 * this process skips them and every later row of their games (`pending`: publishing a
 * later seq first would make the bus drop the earlier one), other replicas' relays
 * wait for the grace period.
 */
export class DirectPublisher {
  private queue: CommittedEvent[] = [];
  private draining = false;
  private marks: number[] = [];
  private markTimer: NodeJS.Timeout | null = null;
  private idle: Promise<void> = Promise.resolve();
  /** Outbox ids being published or published and not yet marked → their topic. */
  readonly pending = new Map<number, string>();
  private readonly markDelayMs: number;
  private lastWarn = 0;

  constructor(private readonly o: PublisherOptions) {
    this.markDelayMs = o.markDelayMs ?? 100;
  }

  /** False when the bus has no direct publish: every event then goes through the relay. */
  get enabled(): boolean {
    return typeof this.o.bus.publishDirect === 'function';
  }

  publish(events: readonly CommittedEvent[]): void {
    if (!this.enabled || events.length === 0) return;
    for (const e of events) this.pending.set(e.outboxId, e.event.topic);
    this.queue.push(...events);
    if (!this.draining) this.idle = this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, 2000);
        let results: string[] | null = null;
        try {
          results = await withTimeout(this.o.bus.publishDirect!(batch.map((e) => e.event)), this.o.publishTimeoutMs ?? 3000, 'bus publish timed out');
        } catch (err) {
          if (Date.now() - this.lastWarn > 5000) {
            this.lastWarn = Date.now();
            this.o.log?.warn({ err: (err as Error).message }, 'direct publish failed; the outbox relay will publish these events');
          }
        }
        batch.forEach((e, i) => {
          const r = results?.[i];
          if (r === 'published' || r === 'duplicate') this.marks.push(e.outboxId);
          else this.pending.delete(e.outboxId); // the relay's now
        });
        if (this.marks.length && !this.markTimer) {
          this.markTimer = setTimeout(() => void this.flushMarks(), this.markDelayMs);
          this.markTimer.unref?.();
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** Ids to mark published inside the caller's write; `settle` says whether that write committed. */
  takeMarks(): { ids: number[]; settle(committed: boolean): void } {
    const ids = this.marks;
    this.marks = [];
    return {
      ids,
      settle: (committed) => {
        if (committed) for (const id of ids) this.pending.delete(id);
        else this.marks.push(...ids);
      },
    };
  }

  async flushMarks(): Promise<void> {
    if (this.markTimer) clearTimeout(this.markTimer);
    this.markTimer = null;
    const { ids, settle } = this.takeMarks();
    if (!ids.length) return;
    try {
      await this.o.db.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [ids]);
      settle(true);
    } catch {
      settle(false); // the next write or flush tries again; the bus dedups meanwhile
    }
  }

  /** Shutdown: publish what is queued and mark it. */
  async close(): Promise<void> {
    await this.idle;
    await this.flushMarks();
  }
}
