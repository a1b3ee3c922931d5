// The stack's own Postgres: initdb into the state dir, listen on a loopback port, trust
// auth for the local role (the compose service uses a password; this one never leaves
// 127.0.0.1 and a unix socket inside the state dir). Postgres refuses to run as root, so
// as root the cluster belongs to the system's `postgres` user (setpriv, no shell).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, chownSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnLogged, waitFor } from './procs.mjs';

const USER = 'monkeytown';
const DB = 'monkeytown';

function systemUser(name) {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** How to run Postgres programs: directly, or as `postgres` when we are root. */
function runner() {
  if (process.getuid?.() !== 0) return { wrap: (cmd, args) => [cmd, args], owner: null };
  const owner = systemUser('postgres');
  if (!owner) throw new Error('running as root and no `postgres` user to run Postgres as');
  const wrap = (cmd, args) => [
    'setpriv',
    [`--reuid=${owner.uid}`, `--regid=${owner.gid}`, '--clear-groups', '--', cmd, ...args],
  ];
  return { wrap, owner };
}

/**
 * Start (initdb on first use) a cluster in `dir` on 127.0.0.1:`port`.
 * `onSpawn(child)` is called as soon as the server process exists.
 * Returns { child, url, logFile }.
 */
export async function startPostgres({ pgBin, dir, port, logFile, onSpawn = () => {} }) {
  const { wrap, owner } = runner();
  const data = path.join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  if (owner) chownSync(dir, owner.uid, owner.gid);
  if (!existsSync(path.join(data, 'PG_VERSION'))) {
    const [cmd, args] = wrap(path.join(pgBin, 'initdb'), [
      '-D', data, '-U', USER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync',
    ]);
    const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: os.tmpdir() });
    if (r.status !== 0) throw new Error(`initdb failed:\n${r.stdout}\n${r.stderr}`);
  } else if (owner && statSync(data).uid !== owner.uid) {
    throw new Error(`${data} is not owned by postgres`);
  }
  const [cmd, args] = wrap(path.join(pgBin, 'postgres'), [
    '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
    '-c', 'max_connections=200', '-c', 'shared_buffers=64MB',
  ]);
  const child = spawnLogged(cmd, args, { cwd: os.tmpdir(), env: { ...process.env, LC_ALL: 'C' }, logFile });
  onSpawn(child); // tracked before the wait, so a failed start is still stopped
  const isready = path.join(pgBin, 'pg_isready');
  await waitFor(
    'postgres',
    async () => spawnSync(isready, ['-q', '-h', '127.0.0.1', '-p', String(port)]).status === 0,
    { timeoutMs: 30_000, child, logFile },
  );
  // The compose service creates the database on first start (POSTGRES_DB); do the same.
  const created = spawnSync(
    path.join(pgBin, 'createdb'),
    ['-h', '127.0.0.1', '-p', String(port), '-U', USER, DB],
    { encoding: 'utf8' },
  );
  if (created.status !== 0 && !/already exists/.test(created.stderr)) {
    throw new Error(`createdb failed: ${created.stderr}`);
  }
  return { child, url: `postgres://${USER}@127.0.0.1:${port}/${DB}`, logFile };
}
