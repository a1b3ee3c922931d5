import type { Db } from '../../db/index.js';

export interface FlagSchedulerOptions {
  db: Db;
  /** Ends one game whose deadline passed (GameService.settleDeadline: SKIP LOCKED, exactly once). */
  settle(gameId: string, now: Date): Promise<boolean>;
  /** Every replica looks for deadlines this often (FLAG_SWEEP_MS), and arms timers for those due before its next look. */
  sweepMs: number;
  log?: { warn(obj: object, msg?: string): void };
}

/** Games settled per query of a sweep (the rest wait for the next, which follows at once). */
const BATCH = 64;

/**
 * Makes flags fall, idle games expire and open seats lapse with nobody sending
 * anything. Every deadline is in games.flag_at (set by the commit that set it). Each
 * replica:
 * - arms ONE timer for the earliest deadline it knows of: its own commits tell it
 *   (`note`), and every sweep tells it of deadlines due before the next sweep, so a
 *   game whose last commit was on a replica that died is timed by the others;
 * - sweeps every `sweepMs`: `flag_at <= now` → settle each game (its own transaction,
 *   the row taken FOR UPDATE SKIP LOCKED, re-checked, finished through the normal
 *   finish path), so two replicas never both end a game, and a replica killed while
 *   settling leaves the deadline for the next sweep (its transaction rolls back).
 * Time is the replicas' wall clock throughout (the deadlines are computed from the
 * committing replica's clock and compared with the sweeping replica's).
 */
export class FlagScheduler {
  private stopped = true;
  private sweepTimer: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private wakeAt = Infinity;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly o: FlagSchedulerOptions) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      void this.sweep().finally(() => {
        if (!this.stopped) this.sweepTimer = setTimeout(tick, this.o.sweepMs);
      });
    };
    this.sweepTimer = setTimeout(tick, 0);
  }

  /** A deadline was committed (here): wake at it if it is the earliest known. */
  note(at: Date): void {
    if (this.stopped) return;
    const ms = at.getTime();
    if (ms >= this.wakeAt) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeAt = ms;
    // setTimeout's limit is ~24.8 days; a deadline that far away is the sweeps' business.
    const delay = Math.min(Math.max(0, ms - Date.now()), 2 ** 31 - 1);
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.wakeAt = Infinity;
      void this.sweep();
    }, delay);
  }

  /** Stops the timers and waits for a sweep in progress (its transactions commit or roll back). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    this.wakeAt = Infinity;
    await this.running?.catch(() => {});
  }

  /** One pass (also run by the timers); overlapping calls fold into one more pass. */
  sweep(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.pass();
        } catch (err) {
          this.o.log?.warn({ err }, 'flag sweep failed');
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const now = new Date();
      const { rows } = await this.o.db.query<{ id: string; flag_at: Date }>(
        `SELECT id, flag_at FROM games WHERE flag_at IS NOT NULL AND flag_at <= $1 ORDER BY flag_at LIMIT $2`,
        [new Date(now.getTime() + this.o.sweepMs), BATCH],
      );
      const due = rows.filter((r) => new Date(r.flag_at).getTime() <= now.getTime());
      for (const r of rows) if (!due.includes(r)) this.note(new Date(r.flag_at));
      let settled = 0;
      for (const r of due) {
        if (this.stopped) return;
        try {
          if (await this.o.settle(r.id, now)) settled++;
        } catch (err) {
          this.o.log?.warn({ err, gameId: r.id }, 'settling a deadline failed; the next sweep retries');
        }
      }
      // A full page of due games settled here: there may be more. Otherwise (games being
      // settled by another replica, failures) the next sweep looks again.
      if (due.length < BATCH || settled === 0) return;
    }
  }
}
