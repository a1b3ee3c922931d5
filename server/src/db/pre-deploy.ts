import type pg from 'pg';
import { ensureAppRole } from './app-role.js';
import { isLockTimeout, migrate, type Migration } from './migrate.js';
import type { Db, Queryable } from './types.js';

/**
 * The one-off pre-deploy step (issue 25), run as its own ECS task before any service
 * is updated (deploy/cli `migrate`, task-definitions/migrate.json). With the RDS master
 * credentials, which only this task's execution role can read, it:
 *   1. makes sure the app's own role exists, may log in with IAM tokens and owns the
 *      database (ensureAppRole: idempotent);
 *   2. applies the new release's migrations AS that role (SET ROLE), so every table
 *      stays owned by the role the game-server logs in as, exactly as when the
 *      game-server migrated at its own start.
 * Migrations take lock_timeout (db/migrate.ts): one that would queue its DDL behind
 * live traffic gives up, changes nothing and is tried again a few times here; after
 * that the task exits non-zero and the rollout stops before touching any service.
 */
export interface PreDeployOptions {
  /** The role the game-server logs in as (DATABASE_URL's user). */
  role: string;
  /** Grant rds_iam: the app logs in with IAM tokens, no password. */
  iam: boolean;
  lockTimeoutMs: number;
  /** Attempts when a migration gives up on a lock (55P03). */
  lockAttempts?: number;
  lockRetryDelayMs?: number;
  /** The release's migrations (default: the SQL files shipped beside the bundle). */
  migrations?: Migration[];
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface PreDeployResult {
  role: string;
  applied: number[];
}

export async function preDeploy(admin: pg.ClientBase, o: PreDeployOptions): Promise<PreDeployResult> {
  const log = o.log ?? (() => {});
  await ensureAppRole(admin, { role: o.role, iam: o.iam });
  log('pre-deploy: app role ready', { role: o.role });
  await admin.query(`SET ROLE ${admin.escapeIdentifier(o.role)}`);
  try {
    const db = clientDb(admin);
    const attempts = o.lockAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        const applied = await migrate(db, o.migrations, { lockTimeoutMs: o.lockTimeoutMs });
        log('pre-deploy: migrations applied', { applied });
        return { role: o.role, applied };
      } catch (err) {
        if (!isLockTimeout(err) || attempt >= attempts) throw err;
        log('pre-deploy: a migration gave up waiting for a lock; nothing applied, trying again', { attempt, lockTimeoutMs: o.lockTimeoutMs });
        await new Promise((r) => setTimeout(r, o.lockRetryDelayMs ?? 2000));
      }
    }
  } finally {
    await admin.query('RESET ROLE').catch(() => {});
  }
}

/** migrate() needs a Db; the pre-deploy step has one connection (its role is set on it). */
function clientDb(client: pg.ClientBase): Db {
  const query: Queryable['query'] = async (sql, params) => {
    const r = await client.query(sql, params as unknown[] | undefined);
    return { rows: r.rows, rowCount: r.rowCount ?? 0 };
  };
  return {
    driver: 'pg',
    query,
    async transaction(fn) {
      await client.query('BEGIN');
      try {
        const result = await fn({ query });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
    },
    async exec(sql) {
      await client.query(sql);
    },
    async close() {},
  };
}
