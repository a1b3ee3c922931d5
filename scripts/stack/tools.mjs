// Where the stack's system programs are. Debian puts nginx in /usr/sbin (often not on a
// non-root PATH) and Postgres under /usr/lib/postgresql/<major>/bin.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

function onPath(name, extra = []) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...extra];
  for (const dir of dirs) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

/** nginx binary (env NGINX_BIN wins). */
export function findNginx() {
  return process.env.NGINX_BIN || onPath('nginx', ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin']);
}

/** redis-server binary (env REDIS_SERVER_BIN wins). */
export function findRedisServer() {
  return process.env.REDIS_SERVER_BIN || onPath('redis-server', ['/usr/sbin', '/usr/local/bin']);
}

/**
 * Directory with initdb/postgres/pg_isready/createdb (env PG_BIN wins), preferring
 * Postgres 15 (the version compose and RDS run), else the newest installed.
 */
export function findPgBin() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  if (existsSync(`${base}/15/bin/initdb`)) return `${base}/15/bin`;
  if (existsSync(base)) {
    const majors = readdirSync(base)
      .filter((d) => existsSync(`${base}/${d}/bin/initdb`))
      .sort((a, b) => Number(b) - Number(a));
    if (majors.length) return `${base}/${majors[0]}/bin`;
  }
  const initdb = onPath('initdb');
  return initdb ? path.dirname(initdb) : null;
}

/** Names of the missing programs the stack needs (own Postgres/Redis only if asked). */
export function missingTools({ ownPostgres = true, ownRedis = true } = {}) {
  const missing = [];
  if (!findNginx()) missing.push('nginx');
  if (ownRedis && !findRedisServer()) missing.push('redis-server');
  if (ownPostgres && !findPgBin()) missing.push('postgres (initdb)');
  return missing;
}
