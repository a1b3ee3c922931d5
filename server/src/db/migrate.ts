import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './types.js';

/** Arbitrary constant: "monkeytown migrations" as a 32-bit key. */
const MIGRATION_LOCK_KEY = 0x6d6b7431;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The SQL files live beside this module in src/db/migrations; the build copies them to
 * dist/migrations (the bundle's import.meta.url is dist/<entry>.js).
 */
export function migrationsDir(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(path.join(dir, f), 'utf8') }));
}

export interface MigrateOptions {
  /**
   * lock_timeout for the migration statements (issue 25), 0 = none. DDL takes ACCESS
   * EXCLUSIVE locks; queued behind a long transaction of a running replica, an ALTER
   * TABLE would hold every later query of that table behind it (the whole site stalls
   * while the deploy "waits"). With a lock timeout it gives up instead (55P03, nothing
   * applied) and the caller tries again.
   */
  lockTimeoutMs?: number;
}

/** The default lock timeout of migrations (MIGRATION_LOCK_TIMEOUT_MS). */
export const DEFAULT_MIGRATION_LOCK_TIMEOUT_MS = 5000;

/** 55P03 lock_not_available: a lock timeout; the migration changed nothing and may be retried. */
export const isLockTimeout = (err: unknown) => (err as { code?: unknown } | null)?.code === '55P03';

/**
 * Applies pending migrations in ONE transaction that first takes a transaction-level
 * advisory lock: replicas starting together queue on the lock, and the later ones see
 * the versions the first recorded and apply nothing. DDL is transactional in Postgres,
 * so a failing migration leaves the schema as it was.
 */
export async function migrate(db: Db, migrations = loadMigrations(), opts: MigrateOptions = {}): Promise<number[]> {
  const lockTimeoutMs = opts.lockTimeoutMs ?? DEFAULT_MIGRATION_LOCK_TIMEOUT_MS;
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    // After the advisory lock (waiting for another replica's migrations is fine), before
    // any DDL; transaction-local, so the pooled connection keeps its own setting.
    await tx.query("SELECT set_config('lock_timeout', $1, true)", [`${lockTimeoutMs}ms`]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      // Statements are split on ";" at line ends so both drivers can run them with
      // the extended protocol inside this transaction.
      for (const stmt of splitSql(m.sql)) await tx.query(stmt);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

/** Splits a migration into statements: strips "--" comments, splits at ";" ending a line. */
export function splitSql(sql: string): string[] {
  return sql
    .split('\n')
    .map((l) => l.replace(/--.*$/, ''))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}
