import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPgDb } from '../../src/db/pg.js';
import { isLockTimeout, loadMigrations, migrate, splitSql } from '../../src/db/migrate.js';
import { backends, createPostgresDatabase, hasPostgres } from '../helpers/db.js';

describe('migrations', () => {
  it('are numbered, unique and split into statements', () => {
    const ms = loadMigrations();
    // Increasing and unique; gaps are allowed (parallel branches are given their own numbers).
    const versions = ms.map((m) => m.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    for (const m of ms) expect(splitSql(m.sql).length).toBeGreaterThan(0);
    expect(splitSql('-- c;\nSELECT 1;\nSELECT 2; -- x\n')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it.each(backends())('apply once and are idempotent ($name)', async (backend) => {
    const t = await backend.create();
    try {
      await migrate(t.db);
      expect(await migrate(t.db)).toEqual([]);
      const { rows } = await t.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(loadMigrations().map((m) => m.version));
    } finally {
      await t.drop();
    }
  });

  // Issue 25: DDL must not queue behind a replica's long transaction (every later query of
  // the table would wait behind the ALTER): with lock_timeout it gives up, changes
  // nothing, and succeeds once the table is free.
  it.runIf(hasPostgres())('a migration blocked by live traffic gives up after lock_timeout, applies nothing, and succeeds later', async () => {
    const { url, drop } = await createPostgresDatabase();
    const db = createPgDb(url, { max: 2 });
    const traffic = new pg.Client({ connectionString: url });
    try {
      await migrate(db);
      const next = { version: 999, name: 'test_add_column', sql: 'ALTER TABLE players ADD COLUMN lock_test integer;\n' };
      await traffic.connect();
      await traffic.query('BEGIN');
      await traffic.query('SELECT count(*) FROM players'); // ACCESS SHARE until COMMIT, like a slow request
      const started = Date.now();
      const err = await migrate(db, [...loadMigrations(), next], { lockTimeoutMs: 300 }).catch((e: unknown) => e);
      const waited = Date.now() - started;
      expect(isLockTimeout(err)).toBe(true);
      expect(waited).toBeLessThan(3000);
      const versions = async () => (await db.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version);
      expect(await versions()).not.toContain(999);
      // The pooled connection did not keep the migration's lock_timeout.
      expect((await db.query<{ t: string }>("SELECT current_setting('lock_timeout') AS t")).rows[0]!.t).toBe('0');
      await traffic.query('COMMIT');
      expect(await migrate(db, [...loadMigrations(), next], { lockTimeoutMs: 300 })).toEqual([999]);
    } finally {
      await traffic.end().catch(() => {});
      await db.close();
      await drop();
    }
  });

  it.runIf(hasPostgres())('several replicas starting at once apply each migration exactly once (advisory lock)', async () => {
    const { url, drop } = await createPostgresDatabase();
    const dbs = Array.from({ length: 4 }, () => createPgDb(url, { max: 2 }));
    try {
      const applied = await Promise.all(dbs.map((db) => migrate(db)));
      const all = applied.flat().sort((a, b) => a - b); // numbers: 10 after 9
      expect(all).toEqual(loadMigrations().map((m) => m.version));
      expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
      await drop();
    }
  });
});
