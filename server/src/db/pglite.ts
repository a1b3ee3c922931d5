import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable, QueryResult } from './types.js';
import { PreparedStatements } from './pglite-prepared.js';

/**
 * Embedded Postgres (WASM) for local runs without a database server: same SQL, same
 * migrations. `dataDir` undefined = in memory. PGlite is one connection: its
 * transaction() queues every other query until the transaction ends, which gives the
 * same isolation the pg driver gets from row locks.
 */
export interface PgliteDb extends Db {
  /** The whole data directory as a tarball (tests start from a migrated template). */
  dump(): Promise<Blob>;
}

export async function createPgliteDb(dataDir?: string, opts: { loadDataDir?: Blob } = {}): Promise<PgliteDb> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}) });

  const prepared = new PreparedStatements(db);
  const wrap = (c: Pick<PGlite, 'query'>, inTransaction: boolean): Queryable => ({
    async query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      // Parameterised statements are prepared once (db/pglite-prepared.ts), as on pg.
      const fast = prepared.accepts(params) ? prepared.query<T>(sql, params!, inTransaction) : null;
      if (fast) return fast;
      const r = await c.query<T>(sql, params as unknown[] | undefined);
      // affectedRows is 0 for SELECT: count returned rows then.
      return { rows: r.rows, rowCount: Math.max(r.rows.length, r.affectedRows ?? 0) };
    },
  });
  const base = wrap(db, false);

  return {
    driver: 'pglite',
    query: base.query,
    transaction(fn) {
      return db.transaction((tx) => fn(wrap(tx, true)));
    },
    async exec(sql) {
      await db.exec(sql);
    },
    async dump() {
      return db.dumpDataDir('none');
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
