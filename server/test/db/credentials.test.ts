/**
 * Issue 14: the game-server keeps serving across a database credential change
 * (RDS rotation, or an IAM token expiring) without a restart. Real Postgres: the
 * test's own role (not a superuser, set up by ensureAppRole as the pre-deploy task does on
 * AWS) and database; the password changes, every pooled connection is cut (as a
 * failover or pool churn would), and requests keep succeeding: the refused
 * connection is retried once with a re-read credential.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppRole } from '../../src/db/app-role.js';
import { loadConfig } from '../../src/config/index.js';
import { cachedSource, credentialsFor, isAuthFailure } from '../../src/db/credentials.js';
import { createPgDb } from '../../src/db/pg.js';
import type { Db } from '../../src/db/index.js';
import { createPostgresDatabase, hasPostgres } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const PG_URL = process.env.TEST_DATABASE_URL;
if (!hasPostgres()) {
  if (process.env.CI === 'true') throw new Error('TEST_DATABASE_URL is not set: the credential-change test needs real Postgres');
  console.warn('[test] TEST_DATABASE_URL not set: skipping the credential-change test against real Postgres');
}

describe.skipIf(!hasPostgres())('database credentials change under a running game-server (real Postgres)', () => {
  const role = `mt_app_${randomBytes(4).toString('hex')}`;
  let database: { url: string; drop(): Promise<void> };
  let admin: pg.Client;
  /** Where the "secret" lives (Secrets Manager / the IAM signer on AWS). */
  let current = 'first-password-0001';
  let fetches = 0;
  const credentials = cachedSource(async () => {
    fetches++;
    return current;
  });
  let db: Db;
  let server: TestServer;

  const appUrl = () => {
    const u = new URL(database.url);
    u.username = role;
    u.password = '';
    return u.toString();
  };
  /** Ends every connection of the app role and gives the pool a moment to see its sockets close. */
  const cutConnections = async () => {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
    await new Promise((r) => setTimeout(r, 200));
  };
  const rotate = async (next: string) => {
    await admin.query(`ALTER ROLE ${admin.escapeIdentifier(role)} PASSWORD ${admin.escapeLiteral(next)}`);
    current = next;
  };

  beforeAll(async () => {
    database = await createPostgresDatabase();
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    // What the pre-deploy task (bin/migrate.ts) does on AWS, here as the test's superuser; run twice: idempotent.
    await ensureAppRole(admin, { role, iam: false });
    await ensureAppRole(admin, { role, iam: false });
    await admin.query(`ALTER ROLE ${admin.escapeIdentifier(role)} PASSWORD ${admin.escapeLiteral(current)}`);
    db = createPgDb(appUrl(), { max: 4, credentials });
    server = await startTestServer(db); // migrations run as the app role
  });

  afterAll(async () => {
    await server?.close();
    await db?.close();
    await admin?.end(); // before DROP DATABASE ... WITH (FORCE) would cut it
    await database?.drop(); // the role's objects go with its database
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(role)}`);
    await c.end();
  });

  it('the app role is not a superuser and owns the database and the tables its migrations made', async () => {
    const r = await admin.query<{ super: boolean; owner: string; tables: string }>(
      `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = $1) AS super,
              pg_get_userbyid(d.datdba) AS owner,
              (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> $1) AS tables
         FROM pg_database d WHERE d.datname = current_database()`,
      [role],
    );
    expect(r.rows[0]).toEqual({ super: false, owner: role, tables: 0 });
  });

  it('keeps serving reads and writes across two password changes, without a restart', async () => {
    const before = await server.req('POST', '/api/players', { body: { name: 'Before' } });
    expect(before.status).toBe(201);
    const fetchesBefore = fetches;

    for (const next of ['second-password-0002', 'third-password-0003']) {
      await rotate(next);
      await cutConnections(); // every new request needs a new connection now
      const results = await Promise.all([
        ...Array.from({ length: 8 }, (_, i) => server.req('POST', '/api/players', { body: { name: `After ${i}` } })),
        ...Array.from({ length: 8 }, () => server.req('GET', '/api/agents')),
      ]);
      expect(results.map((r) => `${r.status} ${r.status >= 300 ? JSON.stringify(r.body) : ''}`.trim()).sort()).toEqual([...Array(8).fill('200'), ...Array(8).fill('201')]);
    }
    // The stale cached password was refused and re-read: once per change, or a few
    // times when several connections failed at the same moment, never per request.
    expect(fetches - fetchesBefore).toBeGreaterThanOrEqual(2);
    expect(fetches - fetchesBefore).toBeLessThanOrEqual(8);
    const me = await server.req('POST', '/api/players', { body: { name: 'Still here' } });
    expect(me.status).toBe(201);
  });

  it('without the refresh the same change fails requests (the test can fail)', async () => {
    const frozen = new URL(appUrl());
    frozen.password = current;
    const fixed = createPgDb(frozen.toString(), { max: 1 });
    try {
      await fixed.query('SELECT 1');
      await rotate('fourth-password-0004');
      await cutConnections();
      const err = await fixed.query('SELECT 1').then(() => undefined, (e: unknown) => e);
      expect(isAuthFailure(err)).toBe(true);
    } finally {
      await fixed.close();
    }
  });
});

describe('cachedSource', () => {
  it('fetches once, shares the value, refetches after invalidate() and after a failed fetch', async () => {
    let n = 0;
    let fail = false;
    const s = cachedSource(async () => {
      n++;
      if (fail) throw new Error('secret store down');
      return `v${n}`;
    });
    expect(await Promise.all([s.password(), s.password()])).toEqual(['v1', 'v1']);
    s.invalidate();
    fail = true;
    await expect(s.password()).rejects.toThrow(/secret store down/);
    fail = false;
    expect(await s.password()).toBe('v3');
    expect(n).toBe(3);
  });
});

describe('DATABASE_AUTH=iam (AWS)', () => {
  const url = 'postgres://monkeytown_app@db.example.internal:5432/monkeytown?sslmode=verify-full&sslrootcert=/app/server/certs/rds-global-bundle.pem';

  it('signs an RDS IAM token for the app role locally (no network), cached', async () => {
    const keys = { AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'example-secret';
    try {
      const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, DATABASE_AUTH: 'iam', AWS_REGION: 'eu-west-1' });
      expect(config.databaseIam).toEqual({ region: 'eu-west-1' });
      const source = credentialsFor(url, config.databaseIam)!;
      const token = await source.password();
      expect(token).toMatch(/^db\.example\.internal:5432\/\?Action=connect&DBUser=monkeytown_app&X-Amz-Algorithm=AWS4-HMAC-SHA256&/);
      expect(token).toContain('eu-west-1%2Frds-db%2Faws4_request');
      expect(await source.password()).toBe(token);
    } finally {
      for (const [k, v] of Object.entries(keys)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  });

  it('refuses IAM auth without a region, with a password in the URL, or without verified TLS', () => {
    const base = { NODE_ENV: 'test', DATABASE_AUTH: 'iam' };
    expect(() => loadConfig({ ...base, DATABASE_URL: url })).toThrow(/needs DATABASE_URL and AWS_REGION/);
    expect(() => loadConfig({ ...base, AWS_REGION: 'eu-west-1', DATABASE_URL: url.replace('monkeytown_app@', 'monkeytown_app:pw@') })).toThrow(/must not carry a password/);
    expect(() => loadConfig({ ...base, AWS_REGION: 'eu-west-1', DATABASE_URL: url.replace('verify-full', 'no-verify') })).toThrow(/sslmode=verify-full/);
    expect(loadConfig({ NODE_ENV: 'test', DATABASE_URL: url }).databaseIam).toBeUndefined();
  });
});
