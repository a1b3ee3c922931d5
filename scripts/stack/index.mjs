// The compose topology without Docker, on loopback: postgres, redis, game-server,
// event-stream, web (production standalone build) and nginx running the shipped
// deploy/docker/nginx.conf. Used by `npm run stack` (scripts/stack.mjs) and by tests:
//
//   import { startStack } from '../../scripts/stack/index.mjs';
//   const stack = await startStack();            // all on free ports
//   stack.urls.base  // http://127.0.0.1:<nginx port>   (the browser's single origin)
//   stack.urls.ws    // ws://127.0.0.1:<nginx port>/ws
//   await stack.kill('event-stream', 'SIGKILL'); await stack.restart('event-stream');
//   await stack.stop();
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, spawnLogged, waitFor, httpCheck, stopPid, isAlive } from './procs.mjs';
import { findNginx, findRedisServer, findPgBin, missingTools } from './tools.mjs';
import { prepareNginx } from './nginx.mjs';
import { startPostgres } from './postgres.mjs';

export { missingTools } from './tools.mjs';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Whose build outputs run: this checkout, or another one named by STACK_ROOT. */
const DEFAULT_ROOT = process.env.STACK_ROOT ? path.resolve(process.env.STACK_ROOT) : REPO_ROOT;
const STATE_FILE = 'stack.json';

/** Build outputs the stack runs; all produced by `npm run build`. */
export function artifacts(root = DEFAULT_ROOT) {
  return {
    gameServer: path.join(root, 'server/dist/game-server.js'),
    eventStream: path.join(root, 'server/dist/event-stream.js'),
    webRoot: path.join(root, 'web/.next/standalone'),
    webServer: path.join(root, 'web/.next/standalone/web/server.js'),
    // Always this checkout's config (STACK_ROOT only lends build outputs).
    nginxConf: path.join(REPO_ROOT, 'deploy/docker/nginx.conf'),
  };
}

/** Paths of missing build outputs (empty when the stack can start). */
export function missingArtifacts(root = DEFAULT_ROOT) {
  const a = artifacts(root);
  return [a.gameServer, a.eventStream, a.webServer, a.nginxConf].filter((f) => !existsSync(f));
}

// Stop order: the front first, the data last (as compose does, reversed dependencies).
const ORDER = ['nginx', 'web', 'event-stream', 'game-server', 'redis', 'postgres'];
// What /proc/<pid>/cmdline shows for each (Next renames its process "next-server").
const EXPECT = {
  nginx: /nginx/, web: /server\.js|next-server/, 'event-stream': /event-stream\.js/,
  'game-server': /game-server\.js/, redis: /redis-server/, postgres: /postgres/,
};
const SIGNAL = { postgres: 'SIGINT' }; // Postgres' "fast" shutdown

/**
 * Start the stack. Options (all optional):
 *  - stateDir: where pids, logs, generated nginx.conf and data live (default
 *    <repo>/.stack; a test passes its own temp dir). Postgres data in it is reused.
 *  - databaseUrl: use this Postgres instead of starting one (env STACK_DATABASE_URL).
 *  - redisUrl: use this Redis instead of starting one (env STACK_REDIS_URL).
 *  - nginxPort: listen port for nginx (default: a free one).
 *  - env: extra environment for the Node services.
 *  - log: function(line) for progress (default: silent).
 *  - detach: leave the services running when this process exits (CLI --detach);
 *    otherwise they are killed if this process exits without stop().
 * Returns { urls, ports, stateDir, pids, kill(name, signal), restart(name), stop(), logFile(name) }.
 */
export async function startStack(opts = {}) {
  const root = opts.root ?? DEFAULT_ROOT;
  const a = artifacts(root);
  const log = opts.log ?? (() => {});
  const databaseUrl = opts.databaseUrl ?? process.env.STACK_DATABASE_URL;
  const redisUrl = opts.redisUrl ?? process.env.STACK_REDIS_URL;
  const missing = [...missingTools({ ownPostgres: !databaseUrl, ownRedis: !redisUrl }), ...missingArtifacts(root)];
  if (missing.length) throw new Error(`cannot start the stack, missing: ${missing.join(', ')} (build outputs come from \`npm run build\`)`);

  const stateDir = path.resolve(opts.stateDir ?? path.join(root, '.stack'));
  mkdirSync(path.join(stateDir, 'logs'), { recursive: true });
  // nginx workers and Postgres run as unprivileged users when we are root: let them in.
  chmodSync(stateDir, 0o755);
  const previous = readState(stateDir);
  if (previous && Object.values(previous.pids ?? {}).some((pid) => isAlive(pid))) {
    throw new Error(`a stack is already running from ${stateDir} (npm run stack -- stop)`);
  }

  const secretFile = path.join(stateDir, 'session-secret');
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const sessionSecret = readFileSync(secretFile, 'utf8').trim();

  const ports = {
    nginx: opts.nginxPort ?? (await freePort()),
    web: await freePort(),
    gameServer: await freePort(),
    eventStream: await freePort(),
    postgres: databaseUrl ? null : await freePort(),
    redis: redisUrl ? null : await freePort(),
  };
  const logFile = (name) => path.join(stateDir, 'logs', `${name}.log`);
  const children = new Map(); // name -> ChildProcess
  const specs = new Map(); // name -> () => Promise<ChildProcess> (for restart)
  const urls = {
    base: `http://127.0.0.1:${ports.nginx}`,
    ws: `ws://127.0.0.1:${ports.nginx}/ws`,
    web: `http://127.0.0.1:${ports.web}`,
    gameServer: `http://127.0.0.1:${ports.gameServer}`,
    eventStream: `http://127.0.0.1:${ports.eventStream}`,
    database: databaseUrl,
    redis: redisUrl,
  };
  const save = () =>
    writeFileSync(
      path.join(stateDir, STATE_FILE),
      JSON.stringify({ supervisor: process.pid, urls, pids: pidsOf(children) }, null, 2),
    );

  // Safety net: a crashed test runner must not leave the stack behind.
  const onExit = () => {
    for (const child of children.values()) if (child.exitCode === null) try { child.kill('SIGKILL'); } catch { /* already gone */ }
  };
  if (!opts.detach) process.on('exit', onExit);

  const nodeService = (name, script, cwd, port, env, ready) => async () => {
    const child = spawnLogged(process.execPath, [script], {
      cwd,
      logFile: logFile(name),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        SESSION_SECRET: sessionSecret,
        TRUST_PROXY: '1',
        HOST: '127.0.0.1', // the compose services listen on 0.0.0.0 inside their network
        ...opts.env,
        ...env,
      },
    });
    children.set(name, child);
    save();
    await waitFor(name, httpCheck(`http://127.0.0.1:${port}${ready.path}`, ready.ok), {
      child, logFile: logFile(name), timeoutMs: 90_000,
    });
    return child;
  };

  const start = async (name, fn) => {
    specs.set(name, fn);
    const t0 = Date.now();
    log(`starting ${name}`);
    const child = await fn();
    children.set(name, child);
    save();
    log(`${name} healthy (${Date.now() - t0} ms)`);
  };

  try {
    if (!databaseUrl) {
      await start('postgres', async () => {
        const pg = await startPostgres({
          pgBin: findPgBin(), dir: path.join(stateDir, 'postgres'), port: ports.postgres, logFile: logFile('postgres'),
          onSpawn: (child) => children.set('postgres', child),
        });
        urls.database = pg.url;
        return pg.child;
      });
    }
    if (!redisUrl) {
      urls.redis = `redis://127.0.0.1:${ports.redis}`;
      await start('redis', async () => {
        const dir = path.join(stateDir, 'redis');
        mkdirSync(dir, { recursive: true });
        const child = spawnLogged(findRedisServer(), [
          '--port', String(ports.redis), '--bind', '127.0.0.1', '--dir', dir,
          '--save', '', '--appendonly', 'yes', '--protected-mode', 'yes',
        ], { cwd: dir, env: process.env, logFile: logFile('redis') });
        children.set('redis', child);
        await waitFor('redis', () => redisPing(ports.redis), { child, logFile: logFile('redis'), timeoutMs: 20_000 });
        return child;
      });
    }
    const serverCwd = path.dirname(path.dirname(a.gameServer));
    await start('game-server', nodeService('game-server', a.gameServer, serverCwd, ports.gameServer, {
      DATABASE_URL: urls.database, REDIS_URL: urls.redis,
    }, { path: '/health/ready' }));
    await start('event-stream', nodeService('event-stream', a.eventStream, serverCwd, ports.eventStream, {
      REDIS_URL: urls.redis,
    }, { path: '/health/ready' }));
    await start('web', nodeService('web', 'web/server.js', a.webRoot, ports.web, {
      HOSTNAME: '127.0.0.1', GAME_SERVER_URL: urls.gameServer,
    }, { path: '/health' }));
    await start('nginx', async () => {
      const { args } = prepareNginx({
        shippedConf: a.nginxConf,
        prefix: path.join(stateDir, 'nginx'),
        addresses: {
          web: `127.0.0.1:${ports.web}`,
          game_server: `127.0.0.1:${ports.gameServer}`,
          event_stream: `127.0.0.1:${ports.eventStream}`,
        },
        listen: `127.0.0.1:${ports.nginx}`,
      });
      const child = spawnLogged(findNginx(), args, { cwd: stateDir, env: process.env, logFile: logFile('nginx') });
      children.set('nginx', child);
      await waitFor('nginx', httpCheck(`${urls.base}/health`), { child, logFile: logFile('nginx'), timeoutMs: 20_000 });
      return child;
    });
    if (opts.detach) for (const child of children.values()) child.unref();
  } catch (err) {
    await stopAll(children);
    process.off('exit', onExit);
    throw err;
  }

  return {
    urls,
    ports,
    stateDir,
    get pids() {
      return pidsOf(children);
    },
    logFile,
    /** Signal one service (e.g. SIGKILL the event-stream to test reconnects). */
    async kill(name, signal = 'SIGTERM') {
      const child = children.get(name);
      if (!child) throw new Error(`no service ${name}`);
      if (child.exitCode !== null || child.signalCode) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
    /** Start a stopped/killed service again on its port; resolves when healthy. */
    async restart(name) {
      const spec = specs.get(name);
      if (!spec) throw new Error(`no service ${name}`);
      await this.kill(name, SIGNAL[name] ?? 'SIGTERM');
      children.set(name, await spec());
      save();
    },
    async stop() {
      await stopAll(children);
      process.off('exit', onExit);
      rmSync(path.join(stateDir, STATE_FILE), { force: true });
    },
  };
}

function pidsOf(children) {
  return Object.fromEntries([...children].map(([name, c]) => [name, c.pid]));
}

async function stopAll(children) {
  for (const name of ORDER) {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode) continue;
    await stopPid(child.pid, { signal: SIGNAL[name] ?? 'SIGTERM', expect: EXPECT[name] });
  }
}

function readState(stateDir) {
  try {
    return JSON.parse(readFileSync(path.join(stateDir, STATE_FILE), 'utf8'));
  } catch {
    return null;
  }
}

/** `npm run stack -- stop`: stop a stack started elsewhere, from its recorded pids. */
export async function stopStackFromState(stateDir = path.join(REPO_ROOT, '.stack')) {
  const state = readState(stateDir);
  if (!state) return [];
  const results = [];
  for (const name of ORDER) {
    const pid = state.pids?.[name];
    if (!pid) continue;
    results.push([name, pid, await stopPid(pid, { signal: SIGNAL[name] ?? 'SIGTERM', expect: EXPECT[name] })]);
  }
  rmSync(path.join(stateDir, STATE_FILE), { force: true });
  return results;
}

export function stackState(stateDir = path.join(REPO_ROOT, '.stack')) {
  return readState(stateDir);
}

async function redisPing(port) {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.setTimeout(1000, () => sock.destroy(new Error('timeout')));
    sock.on('error', reject);
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      sock.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
  });
}
