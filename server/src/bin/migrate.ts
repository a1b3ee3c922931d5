// migrate entry: `node dist/migrate.js`, the one-off pre-deploy ECS task
// (task-definitions/migrate.json) the deploy CLI runs and waits for BEFORE it updates
// any service (issue 25). Exit 0: the app role is ready and the release's migrations
// are applied; anything else stops the rollout with the running version untouched.
// It is the only place the RDS master credentials reach: the services' roles cannot
// read that secret (infrastructure/terraform/iam.tf).
//   DATABASE_URL        the game-server's URL (its user is the app role; TLS options apply here too)
//   DB_MASTER_USERNAME, DB_MASTER_PASSWORD   from the RDS-managed secret
//   DATABASE_AUTH=iam   also grant rds_iam (the app logs in with IAM tokens)
//   MIGRATION_LOCK_TIMEOUT_MS  lock_timeout of the migrations (default 5000)
import pg from 'pg';
import { parse } from 'pg-connection-string';
import { DEFAULT_MIGRATION_LOCK_TIMEOUT_MS } from '../db/migrate.js';
import { preDeploy } from '../db/pre-deploy.js';

const log = (msg: string, fields: Record<string, unknown> = {}) => console.log(JSON.stringify({ msg, ...fields }));

async function main(): Promise<void> {
  const { DATABASE_URL: url, DB_MASTER_USERNAME: user, DB_MASTER_PASSWORD: password } = process.env;
  if (!url || !user || !password) throw new Error('DATABASE_URL, DB_MASTER_USERNAME and DB_MASTER_PASSWORD are required');
  const target = parse(url);
  const role = target.user;
  if (!role || role === user) throw new Error('DATABASE_URL must name the app role, not the master user');
  const lockTimeoutMs = Number(process.env.MIGRATION_LOCK_TIMEOUT_MS ?? DEFAULT_MIGRATION_LOCK_TIMEOUT_MS);
  if (!Number.isInteger(lockTimeoutMs) || lockTimeoutMs < 0) throw new Error('MIGRATION_LOCK_TIMEOUT_MS must be a whole number of milliseconds');
  const { password: _none, ...options } = target;
  for (let attempt = 1; ; attempt++) {
    const admin = new pg.Client({ ...options, user, password } as pg.ClientConfig);
    try {
      await admin.connect();
    } catch (err) {
      await admin.end().catch(() => {});
      const code = (err as { code?: string }).code ?? '';
      // Connection refused / DNS not yet resolvable on a fresh instance: wait; anything else is final.
      if (attempt >= 30 || !/^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|57P03)$/.test(code)) throw err;
      await new Promise((r) => setTimeout(r, 2000));
      continue;
    }
    try {
      const r = await preDeploy(admin, { role, iam: process.env.DATABASE_AUTH === 'iam', lockTimeoutMs, log });
      log('pre-deploy done', { role: r.role, database: target.database, applied: r.applied });
      return;
    } finally {
      await admin.end().catch(() => {});
    }
  }
}

main().catch((err) => {
  console.error(JSON.stringify({ msg: 'pre-deploy failed: no service was updated', error: (err as Error).message, code: (err as { code?: string }).code }));
  process.exit(1);
});
