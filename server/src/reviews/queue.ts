import type { Db } from '../db/index.js';
import type { GameService } from '../games/service.js';
import type { AiPool } from '../ai/pool.js';
import { reviewInput } from './input.js';
import { claimReviews, failReview, queueFinished, releaseReview, storeReview } from './store.js';

export interface ReviewQueueOptions {
  db: Db;
  games: GameService;
  /** The review workers (their own pool: a move never waits behind a review). */
  pool: AiPool;
  /** Reviews computed at once by this replica (the pool's size). */
  concurrency: number;
  /** Queue every game that ends (REVIEW_AUTO); else only reviews someone asked for. */
  auto: boolean;
  sweepMs: number;
  /** How long a claim holds: longer than the longest review. */
  leaseMs: number;
  log?: { warn(obj: object, msg?: string): void };
}

/**
 * Post-game reviews (issue 27). Every sweep queues the games that ended lately (auto),
 * claims what this replica has room for, and computes each in a review worker; the
 * review is stored once (game_reviews, reviews/store.ts) and never computed again, here
 * or on another replica. The event loop only reads rows and posts messages.
 */
export class ReviewQueue {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private sweeping: Promise<void> | null = null;
  private again = false;
  private readonly running = new Set<Promise<void>>();
  /** Reviews this replica computed (tests count them: a stored review is never recomputed). */
  computed = 0;

  constructor(private readonly o: ReviewQueueOptions) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      void this.sweep().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.o.sweepMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Someone asked for a review just queued: look now rather than at the next sweep. */
  kick(): void {
    if (!this.stopped) void this.sweep();
  }

  /** Stops sweeping and closes the review workers: a review in flight is handed back (its claim released). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.sweeping;
    await this.o.pool.close();
    await Promise.allSettled([...this.running]);
  }

  /** Reviews in flight on this replica. */
  get busy(): number {
    return this.running.size;
  }

  private sweep(): Promise<void> {
    if (this.sweeping) {
      this.again = true;
      return this.sweeping;
    }
    this.sweeping = (async () => {
      do {
        this.again = false;
        try {
          if (this.o.auto) await queueFinished(this.o.db, 50);
          const ids = await claimReviews(this.o.db, this.o.concurrency - this.running.size, this.o.leaseMs);
          for (const id of ids) {
            const p = this.compute(id).finally(() => {
              this.running.delete(p);
              if (!this.stopped) this.kick(); // room for the next one
            });
            this.running.add(p);
          }
        } catch (err) {
          this.o.log?.warn({ err }, 'review sweep failed');
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async compute(gameId: string): Promise<void> {
    try {
      const game = await this.o.games.get(gameId);
      const result = await this.o.pool.review(await reviewInput(this.o.db, game));
      this.computed++;
      await storeReview(this.o.db, gameId, result.review);
    } catch (err) {
      if (this.stopped) {
        // Shutting down: hand the review back for the next sweep of any replica.
        await releaseReview(this.o.db, gameId).catch(() => {});
        return;
      }
      this.o.log?.warn({ err, gameId }, 'review failed');
      await failReview(this.o.db, gameId, err instanceof Error ? err.message : String(err)).catch(() => {});
    }
  }
}
