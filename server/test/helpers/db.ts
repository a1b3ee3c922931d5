import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject, it } from 'vitest';
import pg from 'pg';
import { createPgDb } from '../../src/db/pg.js';
import { createPgliteDb } from '../../src/db/pglite.js';
import type { Db } from '../../src/db/index.js';

export interface TestDb {
  db: Db;
  /** Connection string of the database (postgres only): a second replica connects here. */
  url?: string;
  /** Closes the Db and drops the database (postgres). */
  drop(): Promise<void>;
}

export interface Backend {
  name: 'pglite' | 'postgres';
  create(): Promise<TestDb>;
}

const PG_URL = process.env.TEST_DATABASE_URL;

/** A fresh Postgres database for one test file: CREATE DATABASE mt_<random>, dropped afterwards. */
export async function createPostgresDatabase(baseUrl = PG_URL!): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `mt_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const pgliteBackend: Backend = {
  name: 'pglite',
  async create() {
    const template = inject('pgliteTemplate');
    const db = await createPgliteDb(undefined, template ? { loadDataDir: new Blob([readFileSync(template)]) } : {});
    return { db, drop: () => db.close() };
  },
};

export const postgresBackend: Backend = {
  name: 'postgres',
  async create() {
    const { url, drop } = await createPostgresDatabase();
    const db = createPgDb(url);
    return {
      db,
      url,
      async drop() {
        await db.close();
        await drop();
      },
    };
  },
};

/**
 * The backends a contract suite runs against: embedded PGlite always, real Postgres
 * when TEST_DATABASE_URL is set. Without it the Postgres run is skipped with a printed
 * reason locally, and FAILS under CI=true (a missing backend must not pass silently).
 */
export function backends(): Backend[] {
  if (PG_URL) return [pgliteBackend, postgresBackend];
  if (process.env.CI === 'true') {
    it('has TEST_DATABASE_URL (required when CI=true)', () => {
      throw new Error('TEST_DATABASE_URL is not set: the Postgres run of this suite cannot run');
    });
  } else {
    console.warn('[test] TEST_DATABASE_URL not set: running against embedded PGlite only');
  }
  return [pgliteBackend];
}

export const hasPostgres = () => Boolean(PG_URL);
