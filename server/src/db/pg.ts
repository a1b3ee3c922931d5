import pg from 'pg';
import type { Db, Queryable, QueryResult } from './types.js';

// int8 (bigserial outbox ids, count(*)) as JS numbers: our values stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Statements with parameters are prepared once per connection under a name derived
 * from their text: Postgres parses and plans them once instead of on every call (the
 * move path's batch statement is ten CTEs). A bounded set: dynamic texts beyond it run
 * unnamed as before.
 */
const names = new Map<string, string>();
function statementName(sql: string): string | undefined {
  let name = names.get(sql);
  if (!name && names.size < 500) names.set(sql, (name = `mt_${names.size}`));
  return name;
}

export function createPgDb(connectionString: string, opts: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10 });
  // An idle client losing its connection (Postgres restart) must not crash the process.
  pool.on('error', () => {});

  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      const name = params?.length ? statementName(sql) : undefined;
      const r = await c.query(name ? { name, text: sql, values: params as unknown[] } : { text: sql, values: params as unknown[] | undefined });
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    },
  });
  const base = wrap(pool);

  return {
    driver: 'pg',
    query: base.query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
}
