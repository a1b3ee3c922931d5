import type { BusEvent } from '@monkeytown/shared';
import type { Db } from '../db/index.js';
import type { EventBus, PublishResult } from '../bus/types.js';
import { withTimeout } from './timeout.js';
import { stamp, type PhaseClock } from '../games/pipeline/phases.js';

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
  /**
   * Topics whose events this process could not place: the bus was down (or timed out),
   * or it parked them as 'unanchored' (it does not know the game's last seq: a wiped
   * Redis, a game silent past the TTL). The outbox relay publishes those topics' rows
   * from the outbox as soon as the bus takes them (OutboxRelay.anchor), instead of
   * after its sweep's grace period: a game is not held back longer than the outage.
   */
  handOver?: (topics: string[]) => void;
  log?: { warn(obj: object, msg?: string): void };
  /** MOVE_PHASE_TIMING: each event's publish round trip (games/pipeline/phases.ts). */
  phases?: PhaseClock;
}

/**
 * Publishes committed events straight from the process that committed them, in the
 * order they were handed over (one pipeline at a time). The bus puts each game's events
 * out strictly in seq order whoever hands them in (EventBus.publish): an event whose
 * predecessor another replica is still publishing is parked on the bus and goes out
 * right behind it, so two replicas writing one game never wait for each other nor for
 * the relay. What could not go out (bus down, a predecessor whose publisher crashed)
 * stays unpublished in the outbox, where the relay's sweep finds it after a grace
 * period. Published rows are marked in the outbox later, in bulk (piggybacked on the
 * next batch write): until then this process's relay skips their games (`pending`),
 * other replicas' relays wait for the grace period — and a second publish of a row is
 * a harmless 'duplicate' anyway.
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

  publish(events: readonly CommittedEvent[]): void {
    if (events.length === 0) return;
    for (const e of events) this.pending.set(e.outboxId, e.event.topic);
    this.queue.push(...events);
    if (!this.draining) this.idle = this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, 2000);
        let results: PublishResult[] | null = null;
        const sentAt = this.o.phases ? stamp() : 0;
        try {
          results = await withTimeout(this.o.bus.publish(batch.map((e) => e.event)), this.o.publishTimeoutMs ?? 3000, 'bus publish timed out');
          if (this.o.phases) {
            const ms = stamp() - sentAt;
            for (let i = 0; i < batch.length; i++) this.o.phases.observe('publish', ms);
          }
        } catch (err) {
          if (Date.now() - this.lastWarn > 5000) {
            this.lastWarn = Date.now();
            this.o.log?.warn({ err: (err as Error).message }, 'direct publish failed; the outbox relay will publish these events');
          }
        }
        const leftover = new Set<string>();
        batch.forEach((e, i) => {
          const r = results?.[i];
          if (r === 'published' || r === 'duplicate') this.marks.push(e.outboxId);
          else {
            // Parked (out right behind its predecessor; the relay marks it later), not
            // placed, or not published at all: the relay's now.
            this.pending.delete(e.outboxId);
            if (r !== 'parked') leftover.add(e.event.topic);
          }
        });
        if (leftover.size) this.o.handOver?.([...leftover]);
        this.armMarks();
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * Marks left waiting `markDelayMs` get a statement of their own (flushMarks). The timer
   * counts from when marks were left untaken: a write that takes them stops it, so while
   * batches keep coming every mark rides one of them and no DELETE transaction of its own
   * (with its WAL flush) runs beside them.
   */
  private armMarks(): void {
    if (!this.marks.length || this.markTimer) return;
    this.markTimer = setTimeout(() => void this.flushMarks(), this.markDelayMs);
    this.markTimer.unref?.();
  }

  /** Ids to mark published inside the caller's write; `settle` says whether that write committed. */
  takeMarks(): { ids: number[]; settle(committed: boolean): void } {
    const ids = this.marks;
    this.marks = [];
    if (ids.length && this.markTimer) {
      clearTimeout(this.markTimer);
      this.markTimer = null;
    }
    return {
      ids,
      settle: (committed) => {
        if (committed) for (const id of ids) this.pending.delete(id);
        else {
          this.marks.push(...ids);
          this.armMarks();
        }
      },
    };
  }

  async flushMarks(): Promise<void> {
    if (this.markTimer) clearTimeout(this.markTimer);
    this.markTimer = null;
    const { ids, settle } = this.takeMarks();
    if (!ids.length) return;
    try {
      await this.o.db.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [ids]);
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
