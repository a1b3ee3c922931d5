import pg from 'pg';
import { parse } from 'pg-connection-string';
import { isAuthFailure, type CredentialSource } from './credentials.js';
import { classifyPgError, isBrokenConnection } from './pg-errors.js';
import { DEFAULT_POOL_SETTINGS, pgPoolOptions, type PoolSettings } from './pool-settings.js';
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

export interface PgDbOptions {
  max?: number;
  /** Password/token per new connection, refreshed on an auth failure (credentials.ts). */
  credentials?: CredentialSource | undefined;
  /** Timeouts, keepalive, lifetime (pool-settings.ts); the documented defaults when absent. */
  settings?: PoolSettings | undefined;
}

export function createPgDb(connectionString: string, opts: PgDbOptions = {}): Db {
  const { credentials } = opts;
  const common = { ...pgPoolOptions(opts.settings ?? DEFAULT_POOL_SETTINGS), max: opts.max ?? 10 };
  const pool = new pg.Pool(
    credentials
      ? // pg lets a connection string's (empty) password override a password function: parse it here.
        { ...withoutPassword(parse(connectionString)), ...common, password: () => credentials.password() }
      : { connectionString, ...common },
  );
  // An idle client losing its connection (Postgres restart) must not crash the process.
  pool.on('error', () => {});

  // Every driver error leaves through classified(): its own timeouts become 503s (pg-errors.ts).
  const classified = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (err) {
      throw classifyPgError(err);
    }
  };
  // A connection refused for stale credentials is retried once with fresh ones: it
  // failed before any statement was sent, so the retry cannot apply anything twice.
  const refreshing = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await classified(op);
    } catch (err) {
      if (!credentials || !isAuthFailure(err)) throw err;
      credentials.invalidate();
      return classified(op);
    }
  };

  // `name` prepares the statement once per connection (statementName above).
  type Run = (sql: string, params: unknown[] | undefined, name: string | undefined) => Promise<pg.QueryResult>;
  const config = (sql: string, values: unknown[] | undefined, name: string | undefined): pg.QueryConfig =>
    name ? { name, text: sql, values } : { text: sql, values };
  const wrap = (run: Run): Queryable => ({
    async query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      const name = params?.length ? statementName(sql) : undefined;
      const r = await run(sql, params as unknown[] | undefined, name);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    },
  });
  const base = wrap((sql, params, name) => refreshing(() => pool.query(config(sql, params, name))));

  return {
    driver: 'pg',
    query: base.query,
    async transaction(fn) {
      const client = await refreshing(() => pool.connect());
      // Set when the connection must not go back to the pool (pg-errors.ts isBrokenConnection).
      let broken: Error | undefined;
      const run: Run = (sql, params, name) => classified(() => client.query(config(sql, params, name)));
      try {
        await run('BEGIN', undefined, undefined);
        const out = await fn(wrap(run));
        await run('COMMIT', undefined, undefined);
        return out;
      } catch (err) {
        if (isBrokenConnection(err)) broken = err as Error;
        else await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async exec(sql) {
      await refreshing(() => pool.query(sql));
    },
    async close() {
      await pool.end();
    },
  };
}

function withoutPassword<T extends { password?: unknown }>(config: T): Omit<T, 'password'> {
  const { password: _ignored, ...rest } = config;
  return rest;
}
