import { ApiError } from '@monkeytown/shared';
import { planBatch, type BatchPlanDeps } from './batch-plan.js';
import { writeBatch, type BatchWriteDeps } from './batch-write.js';
import type { Outcome, Pending } from './types.js';

export interface BatcherOptions extends BatchPlanDeps, Omit<BatchWriteDeps, 'retry'> {
  maxBatch?: number;
  /** Batches written at once (their games never overlap). */
  concurrency?: number;
}

const MAX_ATTEMPTS = 6;

/**
 * Group commit: batched commands (moves, agent.thinking) that arrive while a batch is
 * being written wait for the next one, and each batch (up to `maxBatch` commands, one per
 * game and per Idempotency-Key) is planned in memory from cached rows (batch-plan.ts) and
 * written in one statement (batch-write.ts). Every request is answered after the
 * statement carrying it returned, i.e. after COMMIT.
 */
export class Batcher {
  private queue: Pending[] = [];
  private running = 0;
  private readonly busyGames = new Set<string>();
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private scheduled = false;
  private readonly deps: BatchWriteDeps;

  constructor(private readonly o: BatcherOptions) {
    this.maxBatch = o.maxBatch ?? 256;
    this.concurrency = o.concurrency ?? 1;
    this.deps = { ...o, retry: (p, opts) => this.retry(p, opts) };
  }

  submit(p: Omit<Pending, 'attempts' | 'fresh' | 'solo' | 'resolve' | 'reject'>): Promise<Outcome> {
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

  private async process(batch: Pending[]): Promise<void> {
    try {
      // The batch's time: what its commands are charged to the clocks and stored as updated_at.
      const now = new Date();
      await writeBatch(this.deps, await planBatch(this.o, batch, now), now);
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
