import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { createTestDatabase, requiredUnderCi } from '@monkeytown/test-support';
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
export const createPostgresDatabase = (baseUrl = PG_URL!) => createTestDatabase(baseUrl);

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
  return requiredUnderCi('TEST_DATABASE_URL', 'the Postgres run of this suite (PGlite only)') ? [pgliteBackend, postgresBackend] : [pgliteBackend];
}

export const hasPostgres = () => Boolean(PG_URL);
