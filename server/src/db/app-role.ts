import type pg from 'pg';

/**
 * The game-server's own database role (issue 14): the app never connects as the RDS
 * master user. Run with the master credentials by the one-off pre-deploy task
 * (bin/migrate.ts, task-definitions/migrate.json) before every rollout, so it must be
 * idempotent. It makes the app role own the database (and with it, on Postgres 15, the
 * public schema); the pre-deploy task then applies the migrations as that role, so the
 * tables belong to the role the game-server logs in as.
 */
export interface AppRoleOptions {
  /** Role the game-server logs in as, e.g. monkeytown_app. */
  role: string;
  /** Grant RDS IAM authentication (rds_iam): the app logs in with tokens, no password. */
  iam: boolean;
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function ensureAppRole(admin: pg.ClientBase, o: AppRoleOptions): Promise<void> {
  if (!ROLE_NAME.test(o.role)) throw new Error(`invalid role name ${JSON.stringify(o.role)}`);
  const role = admin.escapeIdentifier(o.role);
  const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [o.role]);
  if (exists.rowCount === 0) await admin.query(`CREATE ROLE ${role} LOGIN`);
  if (o.iam) await admin.query(`GRANT rds_iam TO ${role}`);
  // On RDS the master user is not a superuser: it must be a member of the role to hand
  // it ownership. Already a member (or a superuser): the GRANT is a no-op notice.
  await admin.query(`GRANT ${role} TO CURRENT_USER`).catch((err: { code?: string }) => {
    if (err.code !== '0LP01') throw err; // 0LP01: role is already a member / circular grant
  });
  const db = await admin.query<{ name: string }>('SELECT current_database() AS name');
  await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(db.rows[0]!.name)} OWNER TO ${role}`);
  // Tables an earlier release created as the master user move to the app role.
  await admin.query(
    `DO $$ DECLARE r record; BEGIN
       FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                  AND pg_get_userbyid(c.relowner) <> ${admin.escapeLiteral(o.role)} LOOP
         EXECUTE format('ALTER %s public.%I OWNER TO %I',
           CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
           r.relname, ${admin.escapeLiteral(o.role)});
       END LOOP; END $$`,
  );
}
