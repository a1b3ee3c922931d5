import { ApiError } from '@monkeytown/shared';
import { planBatch, refuse, type BatchPlanDeps } from './batch-plan.js';
import { writeBatch, type BatchWriteDeps } from './batch-write.js';
import { createLane, joinLane, type OpenLaneDeps } from './open-lane.js';
import { stamp } from './phases.js';
import { runSolo } from './solo.js';
import type { Outcome, Pending } from './types.js';

export interface BatcherOptions extends BatchPlanDeps, Omit<BatchWriteDeps, 'retry'>, Pick<OpenLaneDeps, 'openDb'> {
  maxBatch?: number;
  /** Batches written at once (their games never overlap). */
  concurrency?: number;
}

const MAX_ATTEMPTS = 6;
/**
 * Optimistic tries before a command waits for its game's row lock instead. The batch
 * never locks (that is what makes it one statement), so a game written all the time by
 * others — another replica's batches, a chat flood taking the lock — could beat a
 * command's every fresh read; under the lock it is written next, whatever the load.
 */
const LOCKED_AFTER = 2;

/** The statements a batch is written by: commands on games, creations, joins. */
type Lane = 'command' | 'create' | 'join';
const LANES: readonly Lane[] = ['command', 'create', 'join'];
const laneOf = (p: Pick<Pending, 'open'>): Lane => p.open?.kind ?? 'command';

/**
 * Group commit: a queue per lane for batched work (moves and agent.thinking, creations, joins).
 * What arrives while its lane's batch is being written waits for the next one; each
 * batch (up to `maxBatch` items, one per game and per Idempotency-Key, and a game in one
 * lane's batch at a time) is ONE statement: commands planned in memory from cached rows
 * (batch-plan.ts) and written by pipeline/write.ts (batch-write.ts); creations and joins
 * by their own statements, which join the players in (open-lane.ts). The lanes write at
 * the same time, so a creation never holds a move back. Every request is answered after
 * the statement carrying it returned, i.e. after COMMIT.
 */
export class Batcher {
  /**
   * Waiting work by lane, each in arrival order. A queue per lane, not one shared: the
   * scheduler runs on every turn that submits work, and with one queue it scanned all
   * of it once per lane to see whether that lane had any (up to a move per game waits:
   * hundreds at G = 500, for creation and join lanes mostly empty), then again to take
   * a batch of its lane.
   */
  private readonly queues: Record<Lane, Pending[]> = { command: [], create: [], join: [] };
  /** Batches in flight per lane (each lane up to `concurrency`). */
  private readonly running = new Map<Lane, number>();
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
    return new Promise((resolve, reject) => {
      this.queues[laneOf(p)].push({ ...p, attempts: 0, fresh: false, solo: false, resolve, reject, ...(this.o.phases ? { queuedAt: stamp() } : {}) });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Let the requests parsed in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      for (const lane of LANES) {
        while ((this.running.get(lane) ?? 0) < this.concurrency && this.queues[lane].length) {
          const batch = this.take(lane);
          if (!batch.length) break;
          this.running.set(lane, (this.running.get(lane) ?? 0) + 1);
          for (const p of batch) this.busyGames.add(p.env.gameId);
          void this.process(lane, batch).finally(() => {
            for (const p of batch) this.busyGames.delete(p.env.gameId);
            this.running.set(lane, this.running.get(lane)! - 1);
            if (LANES.some((l) => this.queues[l].length)) this.schedule();
          });
        }
      }
    });
  }

  /** The lane's next batch: queue order, one item per game and per Idempotency-Key; a solo item goes alone. */
  private take(lane: Lane): Pending[] {
    const batch: Pending[] = [];
    const games = new Set<string>();
    const keys = new Set<string>();
    const rest: Pending[] = [];
    for (const p of this.queues[lane]) {
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
    this.queues[lane] = rest;
    return batch;
  }

  private retry(p: Pending, opts: { fresh?: boolean; solo?: boolean } = {}): void {
    p.attempts += 1;
    if (!p.open && opts.fresh && p.attempts >= LOCKED_AFTER) {
      this.runLocked(p);
      return;
    }
    if (p.attempts >= MAX_ATTEMPTS) {
      p.reject(new ApiError('conflict', 'the game is too busy right now; retry'));
      return;
    }
    if (opts.fresh) p.fresh = true;
    if (opts.solo) p.solo = true;
    this.queues[laneOf(p)].push(p);
  }

  /** A command that lost the race for its game's row too often: its own transaction, on the locked row (pipeline/solo.ts). */
  private runLocked(p: Pending): void {
    runSolo(this.o, p.env, p.cmd, p.def).then(p.resolve, (err: unknown) => refuse(this.o, p, err, new Date()));
  }

  /** One lane's batch, in its own statement. */
  private async process(lane: Lane, batch: Pending[]): Promise<void> {
    // The batch's time: what its commands are charged to the clocks and stored as updated_at.
    const now = new Date();
    if (this.o.phases) {
      const at = stamp();
      for (const p of batch) p.takenAt = at;
    }
    try {
      if (lane === 'command') await writeBatch(this.deps, await planBatch(this.o, batch, now), now);
      else if (lane === 'create') await createLane(this.deps, batch, now);
      else await joinLane(this.deps, batch, now);
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
