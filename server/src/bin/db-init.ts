// db-init entry: `node dist/db-init.js`, the first container of the game-server's ECS task
// (task-definitions/server.json). With the RDS master credentials it makes sure the app's
// own role exists and owns the database, then exits 0; the game-server container starts
// only after that (dependsOn SUCCESS) and never sees the master credentials.
//   DATABASE_URL        the game-server's URL (its user is the app role; TLS options apply here too)
//   DB_MASTER_USERNAME, DB_MASTER_PASSWORD   from the RDS-managed secret
//   DATABASE_AUTH=iam   also grant rds_iam (IAM token logins)
import pg from 'pg';
import { parse } from 'pg-connection-string';
import { ensureAppRole } from '../db/app-role.js';

async function main(): Promise<void> {
  const { DATABASE_URL: url, DB_MASTER_USERNAME: user, DB_MASTER_PASSWORD: password } = process.env;
  if (!url || !user || !password) throw new Error('DATABASE_URL, DB_MASTER_USERNAME and DB_MASTER_PASSWORD are required');
  const target = parse(url);
  const role = target.user;
  if (!role || role === user) throw new Error('DATABASE_URL must name the app role, not the master user');
  const { password: _none, ...options } = target;
  for (let attempt = 1; ; attempt++) {
    const admin = new pg.Client({ ...options, user, password } as pg.ClientConfig);
    try {
      await admin.connect();
      await ensureAppRole(admin, { role, iam: process.env.DATABASE_AUTH === 'iam' });
      await admin.end();
      console.log(JSON.stringify({ msg: 'db-init: app role ready', role, database: target.database }));
      return;
    } catch (err) {
      await admin.end().catch(() => {});
      const code = (err as { code?: string }).code ?? '';
      // Connection refused / DNS not yet resolvable on a fresh instance: wait; anything else is final.
      if (attempt >= 30 || !/^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|57P03)$/.test(code)) throw err;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

main().catch((err) => {
  console.error(JSON.stringify({ msg: 'db-init failed', error: (err as Error).message }));
  process.exit(1);
});
