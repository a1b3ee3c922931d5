import { ApiError } from '@monkeytown/shared';
import { planBatch, type BatchPlanDeps } from './batch-plan.js';
import { writeBatch, type BatchWriteDeps } from './batch-write.js';
import { createLane, joinLane, type OpenLaneDeps } from './open-lane.js';
import type { Outcome, Pending } from './types.js';

export interface BatcherOptions extends BatchPlanDeps, Omit<BatchWriteDeps, 'retry'>, Pick<OpenLaneDeps, 'openDb'> {
  maxBatch?: number;
  /** Batches written at once (their games never overlap). */
  concurrency?: number;
}

const MAX_ATTEMPTS = 6;

/**
 * Group commit: batched work (moves, agent.thinking, creations, joins) that arrives while
 * a batch is being written waits for the next one, and each batch (up to `maxBatch`
 * items, one per game and per Idempotency-Key) is written in one statement per lane, the
 * lanes at once: commands planned in memory from cached rows (batch-plan.ts) and written
 * by pipeline/write.ts (batch-write.ts); creations and joins by their own statements,
 * which join the players in (open-lane.ts). Every request is answered after the statement
 * carrying it returned, i.e. after COMMIT.
 */
export class Batcher {
  private queue: Pending[] = [];
  private running = 0;
  private readonly busyGames = new Set<string>();
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private scheduled = false;
  private readonly deps: BatchWriteDeps & OpenLaneDeps;

  constructor(private readonly o: BatcherOptions) {
    this.maxBatch = o.maxBatch ?? 256;
    this.concurrency = o.concurrency ?? 1;
    this.deps = { ...o, retry: (p, opts) => this.retry(p, opts) };
  }

  submit(p: Omit<Pending, 'attempts' | 'fresh' | 'solo' | 'resolve' | 'reject'>): Promise<Outcome> {
    // One game per batch: a join waits for a move of its game, and the other way round.
    return new Promise((resolve, reject) => {
      this.queue.push({ ...p, attempts: 0, fresh: false, solo: false, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Let the requests parsed in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      while (this.running < this.concurrency && this.queue.length) {
        const batch = this.take();
        if (!batch.length) break;
        this.running++;
        for (const p of batch) this.busyGames.add(p.env.gameId);
        void this.process(batch).finally(() => {
          for (const p of batch) this.busyGames.delete(p.env.gameId);
          this.running--;
          if (this.queue.length) this.schedule();
        });
      }
    });
  }

  /** The next batch: queue order, one command per game and per Idempotency-Key; a solo item goes alone. */
  private take(): Pending[] {
    const batch: Pending[] = [];
    const games = new Set<string>();
    const keys = new Set<string>();
    const rest: Pending[] = [];
    for (const p of this.queue) {
      const key = p.stored ? `${p.stored.playerId}\n${p.stored.key}` : null;
      const fits = batch.length < this.maxBatch && !games.has(p.env.gameId) && !this.busyGames.has(p.env.gameId) &&
        !(key && keys.has(key)) && !(p.solo && batch.length) && !(batch[0]?.solo);
      if (!fits) {
        rest.push(p);
        continue;
      }
      batch.push(p);
      games.add(p.env.gameId);
      if (key) keys.add(key);
    }
    this.queue = rest;
    return batch;
  }

  private retry(p: Pending, opts: { fresh?: boolean; solo?: boolean } = {}): void {
    p.attempts += 1;
    if (p.attempts >= MAX_ATTEMPTS) {
      p.reject(new ApiError('conflict', 'the game is too busy right now; retry'));
      return;
    }
    if (opts.fresh) p.fresh = true;
    if (opts.solo) p.solo = true;
    this.queue.push(p);
  }

  /** The batch's lanes at once, each its own statement: commands on games, creations, joins. */
  private async process(batch: Pending[]): Promise<void> {
    // The batch's time: what its commands are charged to the clocks and stored as updated_at.
    const now = new Date();
    const of = (kind?: 'create' | 'join') => batch.filter((p) => p.open?.kind === kind);
    const lanes: [Pending[], () => Promise<void>][] = [
      [of(), async () => writeBatch(this.deps, await planBatch(this.o, of(), now), now)],
      [of('create'), () => createLane(this.deps, of('create'), now)],
      [of('join'), () => joinLane(this.deps, of('join'), now)],
    ];
    await Promise.all(lanes.filter(([ps]) => ps.length).map(([ps, run]) => run().catch((err: unknown) => {
      for (const p of ps) p.reject(err);
    })));
  }
}
