// Embedded mode (`npm start`: PGlite) has no autovacuum: PGlite is one backend, with no
// launcher or workers. Every event writes an outbox row that is deleted milliseconds
// later (migration 012), so without a VACUUM the outbox's heap and its partial index
// (migration 013) only grow for the life of the process, dead rows and all, and the
// relay's sweep reads through them on every pass (docs/performance.md, "Embedded mode:
// the outbox's vacuum"). On Postgres, autovacuum does this; here a timer does.
import type { Db } from './types.js';

/** How often the embedded outbox is vacuumed by default (OUTBOX_VACUUM_MS). */
export const DEFAULT_OUTBOX_VACUUM_MS = 2000;

export interface OutboxVacuum {
  /** Vacuum now (between the timer's runs); resolves when done. Runs never overlap. */
  run(): Promise<void>;
  /** No further runs; resolves once a running one is done (the database may then close). */
  stop(): Promise<void>;
}

/**
 * VACUUM the outbox every `everyMs` on a PGlite database (nothing on Postgres, whose
 * autovacuum does it). Off the move path: a timer, never a request. PGlite runs one
 * statement at a time and `exec` waits for an open transaction to end (its transaction
 * lock), so the VACUUM never runs inside or beside a statement; it takes the time of the
 * pages dirtied since the last run (a few milliseconds at embedded rates). A failure is
 * logged and the next run tries again.
 */
export function vacuumOutboxPeriodically(db: Db, o: { everyMs: number; log?: { warn(obj: object, msg?: string): void } }): OutboxVacuum {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let lastWarn = 0;
  const vacuum = () =>
    db.exec('VACUUM outbox').catch((err: unknown) => {
      if (Date.now() - lastWarn < 60_000) return;
      lastWarn = Date.now();
      o.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'outbox vacuum failed; tried again later');
    });
  const run = () => (running = running.then(vacuum));
  const schedule = () => {
    if (stopped || db.driver !== 'pglite' || o.everyMs <= 0) return;
    timer = setTimeout(() => void run().then(schedule), o.everyMs);
    timer.unref();
  };
  schedule();
  return {
    run: () => (db.driver === 'pglite' ? run() : Promise.resolve()),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
