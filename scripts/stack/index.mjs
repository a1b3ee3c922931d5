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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
import { findNginx, findRedisServer, findPgBin, missingTools } from './tools.mjs';
import { prepareNginx } from './nginx.mjs';
import { prepareAlb, wafBucket, FRONT_ADDRESS } from './alb.mjs';
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
/** A replica's service kind: `game-server-2` is a `game-server`. */
const kindOf = (name) => name.replace(/-\d+$/, '');
/**
 * Every started name in stop order (replicas with their kind). `names` may be an
 * iterator (a Map's keys): it is read once, before the kinds are walked — spreading it
 * per kind emptied it after the first, and stop() then stopped nginx alone.
 */
const stopOrder = (names) => {
  const all = [...names];
  return ORDER.flatMap((kind) => all.filter((n) => kindOf(n) === kind));
};
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
 *  - replicas: how many game-servers and event-streams behind nginx (default 1); the
 *    second is named game-server-2 / event-stream-2.
 *  - web: false to leave the web server out (API/WebSocket tests need no web build;
 *    nginx's web upstream then points at a closed port).
 *  - detach: leave the services running when this process exits (CLI --detach);
 *    otherwise they are killed if this process exits without stop().
 *  - production: the production-shaped stack (issue 25, scripts/stack/alb.mjs): the front
 *    is an ALB + WAF stand-in instead of the compose nginx.conf, web reaches the
 *    game-server by its internal address (a Service Connect stand-in, urls.internal) and
 *    forwards the player's address (TRUST_PROXY_HOPS=1); replicas default to 2, web's too.
 *  - wiring: 'internal' (default) or 'public': web's GAME_SERVER_URL is the public URL
 *    (the ALB), as task-definitions/web.json had it before issue 25. Production only.
 *  - wafWindowSeconds: the WAF stand-in's scaled window (default 60; alb.mjs).
 * Returns { urls, ports, stateDir, pids, kill(name, signal), restart(name), stop(), logFile(name) }.
 */
export async function startStack(opts = {}) {
  const root = opts.root ?? DEFAULT_ROOT;
  const a = artifacts(root);
  const log = opts.log ?? (() => {});
  const databaseUrl = opts.databaseUrl ?? process.env.STACK_DATABASE_URL;
  const redisUrl = opts.redisUrl ?? process.env.STACK_REDIS_URL;
  const withWeb = opts.web !== false;
  const production = opts.production === true;
  const wiring = opts.wiring ?? 'internal';
  if (!['internal', 'public'].includes(wiring)) throw new Error(`wiring must be internal or public, got ${wiring}`);
  if (wiring !== 'internal' && !production) throw new Error('wiring: only in the production-shaped stack');
  const needed = missingArtifacts(root).filter((f) => withWeb || (f !== a.webServer));
  const missing = [...missingTools({ ownPostgres: !databaseUrl, ownRedis: !redisUrl }), ...needed];
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
    internal: production ? await freePort() : null, // the Service Connect stand-in
    replicas: { 'game-server': [], 'event-stream': [], web: [] }, // ports of replicas 2..n
    postgres: databaseUrl ? null : await freePort(),
    redis: redisUrl ? null : await freePort(),
  };
  const replicas = Math.max(1, opts.replicas ?? (production ? 2 : 1));
  for (let i = 2; i <= replicas; i++) {
    ports.replicas['game-server'].push(await freePort());
    ports.replicas['event-stream'].push(await freePort());
    // Only the production-shaped front balances web (the compose nginx.conf names one).
    if (production && withWeb) ports.replicas.web.push(await freePort());
  }
  const logFile = (name) => path.join(stateDir, 'logs', `${name}.log`);
  const children = new Map(); // name -> ChildProcess
  const specs = new Map(); // name -> () => Promise<ChildProcess> (for restart)
  const urls = {
    base: `http://127.0.0.1:${ports.nginx}`,
    ws: `ws://127.0.0.1:${ports.nginx}/ws`,
    web: `http://127.0.0.1:${ports.web}`,
    gameServer: `http://127.0.0.1:${ports.gameServer}`,
    eventStream: `http://127.0.0.1:${ports.eventStream}`,
    internal: production ? `http://127.0.0.1:${ports.internal}` : null,
    database: databaseUrl,
    redis: redisUrl,
  };
  // nginx's view of the replicas; a name in `out` is marked down (deregistered).
  const replicaPorts = new Map(); // name -> port
  const out = new Set();
  const upstream = (kind) =>
    [...replicaPorts].filter(([n]) => kindOf(n) === kind).map(([n, port]) => `127.0.0.1:${port}${out.has(n) ? ' down' : ''}`);
  const writeNginxConf = () => production
    ? prepareAlb({
      prefix: path.join(stateDir, 'nginx'),
      upstreams: {
        web: withWeb ? upstream('web') : [`127.0.0.1:${ports.web}`],
        game_server: upstream('game-server'),
        event_stream: upstream('event-stream'),
      },
      listen: `127.0.0.1:${ports.nginx}`,
      internalListen: `127.0.0.1:${ports.internal}`,
      bucket: opts.wafWindowSeconds ? wafBucket(undefined, opts.wafWindowSeconds) : undefined,
    })
    : prepareNginx({
      shippedConf: a.nginxConf,
      prefix: path.join(stateDir, 'nginx'),
      addresses: { web: `127.0.0.1:${ports.web}`, game_server: upstream('game-server'), event_stream: upstream('event-stream') },
      listen: `127.0.0.1:${ports.nginx}`,
    });
  /** Rewrite nginx's upstreams and reload (SIGHUP: new workers, old ones finish their requests). */
  const reloadNginx = async () => {
    writeNginxConf();
    const nginx = children.get('nginx');
    if (!nginx || nginx.exitCode !== null) return;
    process.kill(nginx.pid, 'SIGHUP');
    await sleep(300); // the master starts new workers and retires the old ones within this
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
        // The one hop in front, by address: nginx (compose mode: 127.0.0.1), or the ALB /
        // Service Connect stand-ins (FRONT_ADDRESS: not web's 127.0.0.1, so web's own
        // calls through the public URL stay web's, as a NAT's address would). Not a hop
        // count: Fastify 5.12 trusts no peer for a bare number (it cannot check who the
        // peer is), and every player behind the proxy then shared nginx's bucket.
        TRUST_PROXY: production ? FRONT_ADDRESS : '127.0.0.1',
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
    for (const [i, port] of [ports.gameServer, ...ports.replicas['game-server']].entries()) {
      const name = i === 0 ? 'game-server' : `game-server-${i + 1}`;
      replicaPorts.set(name, port);
      await start(name, nodeService(name, a.gameServer, serverCwd, port, {
        DATABASE_URL: urls.database, REDIS_URL: urls.redis,
      }, { path: '/health/ready' }));
    }
    for (const [i, port] of [ports.eventStream, ...ports.replicas['event-stream']].entries()) {
      const name = i === 0 ? 'event-stream' : `event-stream-${i + 1}`;
      replicaPorts.set(name, port);
      await start(name, nodeService(name, a.eventStream, serverCwd, port, {
        REDIS_URL: urls.redis,
      }, { path: '/health/ready' }));
    }
    if (withWeb) {
      // Production-shaped: web calls the game-server's internal name (or, wiring 'public',
      // the ALB as before issue 25) and forwards the player's address the ALB appended.
      const webEnv = production
        ? { GAME_SERVER_URL: wiring === 'public' ? urls.base : urls.internal, TRUST_PROXY_HOPS: '1' }
        : { GAME_SERVER_URL: urls.gameServer };
      for (const [i, port] of [ports.web, ...ports.replicas.web].entries()) {
        const name = i === 0 ? 'web' : `web-${i + 1}`;
        if (production) replicaPorts.set(name, port);
        await start(name, nodeService(name, 'web/server.js', a.webRoot, port, {
          HOSTNAME: '127.0.0.1', ...webEnv,
        }, { path: '/health' }));
      }
    }
    await start('nginx', async () => {
      const { args } = writeNginxConf();
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
    /**
     * Stop a service (SIGTERM) and start it again on its port; resolves when healthy.
     * `deregister: true` does what a load balancer does in a rolling deploy: take the
     * replica out of nginx's rotation as the signal is sent (nginx reload), and put it
     * back once the new process is ready. `delayMs` (with deregister): wait that long
     * between taking it out and the signal, as ECS waits the target group's
     * deregistration delay before SIGTERM (a service with no drain of its own: web).
     */
    async restart(name, { deregister = false, delayMs = 0 } = {}) {
      const spec = specs.get(name);
      if (!spec) throw new Error(`no service ${name}`);
      if (deregister && replicaPorts.has(name) && delayMs > 0) {
        out.add(name);
        await reloadNginx();
        await sleep(delayMs);
        await this.kill(name, SIGNAL[kindOf(name)] ?? 'SIGTERM');
      } else if (deregister && replicaPorts.has(name)) {
        out.add(name);
        const stopped = this.kill(name, SIGNAL[kindOf(name)] ?? 'SIGTERM');
        await reloadNginx();
        await stopped;
      } else {
        await this.kill(name, SIGNAL[kindOf(name)] ?? 'SIGTERM');
      }
      children.set(name, await spec());
      save();
      if (out.delete(name)) await reloadNginx();
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
  for (const name of stopOrder(children.keys())) {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode) continue;
    await stopPid(child.pid, { signal: SIGNAL[kindOf(name)] ?? 'SIGTERM', expect: EXPECT[kindOf(name)] });
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
  for (const name of stopOrder(Object.keys(state.pids ?? {}))) {
    const pid = state.pids[name];
    if (!pid) continue;
    results.push([name, pid, await stopPid(pid, { signal: SIGNAL[kindOf(name)] ?? 'SIGTERM', expect: EXPECT[kindOf(name)] })]);
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
