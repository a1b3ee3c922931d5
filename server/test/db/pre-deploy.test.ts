/**
 * Issue 25: the one-off pre-deploy task (src/bin/migrate.ts) that runs with the RDS
 * master credentials before any service is updated. Real Postgres, the real entry
 * point: it creates the app role and applies the migrations as that role (so the
 * game-server, which never sees the master credentials, owns what it uses); a second
 * run changes nothing; a migration that cannot get its lock gives up within
 * lock_timeout, applies nothing and fails (the rollout then stops).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/db/migrate.js';
import { preDeploy } from '../../src/db/pre-deploy.js';
import { createPostgresDatabase, hasPostgres } from '../helpers/db.js';

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/bin/migrate.ts');
const PG_URL = process.env.TEST_DATABASE_URL;

function runMigrate(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe.skipIf(!hasPostgres())('pre-deploy task: app role + migrations with the master credentials (real Postgres)', () => {
  const role = `mt_app_${randomBytes(4).toString('hex')}`;
  let database: { url: string; drop(): Promise<void> };
  let admin: pg.Client;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const master = new URL(database.url);
    const appUrl = new URL(database.url);
    appUrl.username = role;
    appUrl.password = '';
    env = {
      DATABASE_URL: appUrl.toString(),
      DB_MASTER_USERNAME: decodeURIComponent(master.username),
      DB_MASTER_PASSWORD: decodeURIComponent(master.password),
    };
  });

  afterAll(async () => {
    await admin?.end();
    await database?.drop();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(role)}`);
    await c.end();
  });

  it('creates the app role and applies every migration as it; exit 0', async () => {
    const r = await runMigrate(env);
    expect(r.code, r.output).toBe(0);
    const done = JSON.parse(r.output.split('\n').find((l) => l.includes('"pre-deploy done"'))!);
    expect(done.applied).toEqual(loadMigrations().map((m) => m.version));
    const owners = await admin.query<{ super: boolean; login: boolean; foreign: string; tables: string }>(
      `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = $1) AS super,
              (SELECT rolcanlogin FROM pg_roles WHERE rolname = $1) AS login,
              (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> $1) AS foreign,
              (SELECT count(*) FROM pg_tables WHERE schemaname = 'public') AS tables`,
      [role],
    );
    expect(owners.rows[0]).toMatchObject({ super: false, login: true });
    expect(Number(owners.rows[0]!.foreign)).toBe(0);
    expect(Number(owners.rows[0]!.tables)).toBeGreaterThan(3);
  });

  it('a second run (the next deploy of the same release) applies nothing', async () => {
    const r = await runMigrate(env);
    expect(r.code, r.output).toBe(0);
    expect(JSON.parse(r.output.split('\n').find((l) => l.includes('"pre-deploy done"'))!).applied).toEqual([]);
  });

  it('refuses to run as the master user itself (DATABASE_URL must name the app role)', async () => {
    const r = await runMigrate({ ...env, DATABASE_URL: database.url });
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/pre-deploy failed: no service was updated.*must name the app role/);
  });

  it('a migration blocked by live traffic gives up within lock_timeout, applies nothing, and fails', async () => {
    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    const migrator = new pg.Client({ connectionString: database.url });
    await migrator.connect();
    try {
      // A long transaction of a running replica holding a lock on players.
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE players IN ACCESS SHARE MODE');
      const next = Math.max(...loadMigrations().map((m) => m.version)) + 1;
      const migrations = [...loadMigrations(), { version: next, name: 'blocked', sql: 'ALTER TABLE players ADD COLUMN pre_deploy_probe integer;' }];
      const started = Date.now();
      const err = await preDeploy(migrator, { role, iam: false, lockTimeoutMs: 200, lockAttempts: 3, lockRetryDelayMs: 50, migrations }).catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe('55P03');
      expect(Date.now() - started).toBeLessThan(5000);
      await blocker.query('ROLLBACK');
      const probe = await admin.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'players' AND column_name = 'pre_deploy_probe'");
      expect(probe.rowCount).toBe(0);
      const recorded = await admin.query('SELECT 1 FROM schema_migrations WHERE version = $1', [next]);
      expect(recorded.rowCount).toBe(0);
      // Once the lock is free the same release's migration goes through.
      const ok = await preDeploy(migrator, { role, iam: false, lockTimeoutMs: 200, migrations });
      expect(ok.applied).toEqual([next]);
      const owner = await admin.query<{ owner: string }>("SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'players'");
      expect(owner.rows[0]?.owner).toBe(role);
    } finally {
      await blocker.end();
      await migrator.end();
    }
  });
});
