// CPU of the Postgres backends serving ONE database (the bench's own mt_bench_<hex>).
// The shared Postgres serves other databases too, so its processes cannot be counted
// whole: the backends of our database are found in pg_stat_activity (datname = ours)
// and their utime+stime read from /proc/<pid>/stat. Backends come and go (pool idle
// timeouts, new connections), so the set is re-read every `everyMs`: a backend's CPU
// in the window is its last reading minus its reading at the window's start (or at
// its first sighting, when it appeared later; a backend born inside the window counts
// from 0 — its process start is inside the window). A backend that exits between two
// samples loses at most `everyMs` of its CPU: the figure is a close lower bound.
// Not counted: the cluster-wide processes (WAL writer, checkpointer, background
// writer, autovacuum), which serve every database on the server.
import pg from 'pg';
import { procStats } from './proc.js';

export interface PgTarget {
  /** A URL on the same server, for a database OTHER than the measured one (its backend is not counted). */
  adminUrl: string;
  dbName: string;
}

export interface PgCpu {
  cpuSec: number;
  /** Distinct backends seen in the window. */
  backends: number;
  /**
   * Transactions the database committed or rolled back in the window (pg_stat_database):
   * with autocommit statements this is about the number of statements that reached
   * Postgres — every one is a round trip that wakes a backend.
   */
  xacts: number;
}

export class PgCpuSampler {
  private client: pg.Client | null = null;
  /** pid → [cpu at first sighting or window start, last cpu seen]. */
  private readonly seen = new Map<number, [number, number]>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private xactsAtStart = 0;

  constructor(private readonly target: PgTarget, private readonly everyMs = 250) {}

  async begin(): Promise<void> {
    this.client = new pg.Client({ connectionString: this.target.adminUrl });
    this.client.on('error', () => {});
    await this.client.connect();
    this.xactsAtStart = await this.xacts();
    await this.sample(true);
    this.timer = setInterval(() => void this.sample(false), this.everyMs);
    this.timer.unref();
  }

  /**
   * Backends flush their counters to shared memory when idle (at most once a second
   * while busy), so a window's count is exact to about a second's worth at its edges.
   */
  private async xacts(): Promise<number> {
    await this.client!.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await this.client!.query<{ n: string }>(
      'SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = $1', [this.target.dbName]);
    return Number(rows[0]?.n ?? 0);
  }

  private async pids(): Promise<number[]> {
    const { rows } = await this.client!.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [this.target.dbName]);
    return rows.map((r) => r.pid);
  }

  private async sample(atStart: boolean): Promise<void> {
    if (this.busy || !this.client) return;
    this.busy = true;
    try {
      for (const pid of await this.pids()) {
        const cpu = procStats(pid)?.cpuSec;
        if (cpu === undefined) continue;
        const s = this.seen.get(pid);
        if (s) s[1] = cpu;
        // Present at the window's start: count from here. Appeared later: born inside the window.
        else this.seen.set(pid, [atStart ? cpu : 0, cpu]);
      }
    } catch {
      // a failed look-up loses one sample, not the measurement
    } finally {
      this.busy = false;
    }
  }

  async end(): Promise<PgCpu> {
    clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
    await this.sample(false);
    // Let the backends' last counters reach shared memory before reading them.
    await new Promise((r) => setTimeout(r, 1100));
    const xacts = (await this.xacts().catch(() => this.xactsAtStart)) - this.xactsAtStart;
    await this.client?.end().catch(() => {});
    this.client = null;
    let cpuSec = 0;
    for (const [, [first, last]] of this.seen) cpuSec += last - first;
    return { cpuSec, backends: this.seen.size, xacts };
  }
}
