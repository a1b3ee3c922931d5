import { describe, expect, it } from 'vitest';
import { createPgDb } from '../../src/db/pg.js';
import { loadMigrations, migrate, splitSql } from '../../src/db/migrate.js';
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

  it.runIf(hasPostgres())('several replicas starting at once apply each migration exactly once (advisory lock)', async () => {
    const { url, drop } = await createPostgresDatabase();
    const dbs = Array.from({ length: 4 }, () => createPgDb(url, { max: 2 }));
    try {
      const applied = await Promise.all(dbs.map((db) => migrate(db)));
      const all = applied.flat().sort();
      expect(all).toEqual(loadMigrations().map((m) => m.version));
      expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
      await drop();
    }
  });
});
