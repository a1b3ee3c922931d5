// What the servers run on: a Postgres database of their own (created on
// BENCH_DATABASE_URL or TEST_DATABASE_URL, dropped afterwards), a redis-server of their
// own on a free port, and the three topologies the self-play scenario compares.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, freePort, RedisServer, type TestDatabase } from '@monkeytown/test-support';
import { findNginx, findRedisServer } from '../../scripts/stack/tools.mjs';
import { prepareNginx } from '../../scripts/stack/nginx.mjs';
import type { PgTarget } from './pgcpu.js';
import { distDir, REPO_ROOT, RESULTS_DIR, startProc, waitReady, type ServerProc } from './proc.js';

export const REPO = REPO_ROOT;
export const SESSION_SECRET = randomBytes(32).toString('hex');

export function baseDatabaseUrl(): string | undefined {
  return process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
}

/** CREATE DATABASE mt_bench_<random> on the server of the base URL. */
export async function createDatabase(): Promise<TestDatabase & { adminUrl: string }> {
  const base = baseDatabaseUrl();
  if (!base) throw new Error('no BENCH_DATABASE_URL / TEST_DATABASE_URL');
  return { ...(await createTestDatabase(base, 'mt_bench')), adminUrl: base };
}

/** A private redis-server on a free loopback port (no persistence). */
export async function startRedis(tag: string): Promise<{ url: string; proc: { pid: number }; stop(): Promise<void> }> {
  const bin = findRedisServer();
  if (!bin) throw new Error('redis-server not found');
  mkdirSync(path.join(RESULTS_DIR, 'logs'), { recursive: true });
  const redis = await RedisServer.start({ bin, logFile: path.join(RESULTS_DIR, 'logs', `redis-${tag}.log`) });
  return { url: redis.url, proc: { pid: redis.pid! }, stop: () => redis.dispose() };
}

/** Environment every benchmarked server gets: real limits raised only where one load generator would trip them. */
export function serverEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOST: '127.0.0.1',
    SESSION_SECRET,
    // The load generator (loopback) sends X-Forwarded-For: one address per simulated player.
    // By address: a hop count trusts nobody (and the server refuses one).
    TRUST_PROXY: '127.0.0.1',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    // One load generator is thousands of players: per-player limits are lifted (the
    // limiter still runs on every request, so its cost is measured).
    RATE_LIMIT_IP_PER_MIN: '10000000',
    RATE_LIMIT_PLAYER_PER_MIN: '10000000',
    RATE_LIMIT_CREATE_PLAYER_PER_MIN: '10000000',
    WS_MESSAGES_PER_SECOND: '1000',
    AI_THINK_DELAY: '0',
    ...extra,
  };
}

/** Every start of a service by startTopology: spawn → /health/ready (the quick cold-start figures). */
export const observedStarts: { service: string; variant: string; ms: number }[] = [];

export type TopologyName = 'embedded' | 'real' | 'nginx';

export interface Topology {
  name: TopologyName;
  api: string;
  ws: string;
  /** Processes whose CPU/RSS the scenario reports (name → pid). */
  procs: { name: string; pid: number }[];
  /** The database the game-server uses, for counting its Postgres backends' CPU. */
  postgres?: PgTarget;
  /** The topology's own redis-server (real topologies), for counting its commands. */
  redisUrl?: string;
  gameServer?: ServerProc;
  stop(): Promise<void>;
}

/** Start one topology from server/dist: embedded (local.js), real (separate services, PG, Redis) or real + nginx. */
export async function startTopology(
  name: TopologyName,
  opts: { nodeArgs?: string[]; env?: Record<string, string>; dist?: string } = {},
): Promise<Topology> {
  const dist = opts.dist ?? distDir();
  const nodeArgs = opts.nodeArgs ?? [];
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  };
  try {
    if (name === 'embedded') {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mt-bench-data-'));
      cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      const [port, esPort] = [await freePort(), await freePort()];
      const env = serverEnv({ PORT: String(port), EVENT_STREAM_PORT: String(esPort), DATA_DIR: dataDir, ...opts.env });
      delete env.DATABASE_URL;
      delete env.REDIS_URL;
      const local = startProc('local', process.execPath, [...nodeArgs, path.join(dist, 'local.js')], env);
      cleanups.push(() => local.stop());
      await waitReady(local, `http://127.0.0.1:${port}/health/ready`, 90_000);
      const ms = await waitReady(local, `http://127.0.0.1:${esPort}/health/ready`, 30_000);
      observedStarts.push({ service: 'local (embedded)', variant: 'new data dir (PGlite init + migrations)', ms });
      return { name, api: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${esPort}/ws`, procs: [{ name: 'local', pid: local.pid }], gameServer: local, stop: stopAll };
    }
    const db = await createDatabase();
    cleanups.push(() => db.drop());
    const redis = await startRedis(name);
    cleanups.push(() => redis.stop());
    const [port, esPort] = [await freePort(), await freePort()];
    const gsArgs = process.env.BENCH_GS_NODE_ARGS?.split(' ').filter(Boolean) ?? []; // e.g. --trace-deopt while hunting a cost
    const gs = startProc('game-server', process.execPath, [...nodeArgs, ...gsArgs, path.join(dist, 'game-server.js')],
      serverEnv({ NODE_ENV: 'production', PORT: String(port), DATABASE_URL: db.url, REDIS_URL: redis.url, ...opts.env }));
    cleanups.push(() => gs.stop());
    const es = startProc('event-stream', process.execPath, [path.join(dist, 'event-stream.js')],
      serverEnv({ NODE_ENV: 'production', PORT: String(esPort), REDIS_URL: redis.url, ...opts.env }));
    cleanups.push(() => es.stop());
    // Polled side by side so each figure is that service's own start time.
    const [gsMs, esMs] = await Promise.all([
      waitReady(gs, `http://127.0.0.1:${port}/health/ready`, 60_000),
      waitReady(es, `http://127.0.0.1:${esPort}/health/ready`, 30_000),
    ]);
    observedStarts.push({ service: 'game-server', variant: 'empty database (migrations)', ms: gsMs });
    observedStarts.push({ service: 'event-stream', variant: 'redis', ms: esMs });
    const procs = [{ name: 'game-server', pid: gs.pid }, { name: 'event-stream', pid: es.pid }, { name: 'redis', pid: redis.proc.pid }];
    const postgres: PgTarget = { adminUrl: db.adminUrl, dbName: db.name };
    if (name === 'real') {
      return { name, api: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${esPort}/ws`, procs, postgres, redisUrl: redis.url, gameServer: gs, stop: stopAll };
    }
    const nginx = await startNginx(port, esPort);
    cleanups.push(() => nginx.stop());
    procs.push(...nginx.pids.map((pid, i) => ({ name: i === 0 ? 'nginx-master' : `nginx-worker${i}`, pid })));
    return { name, api: nginx.base, ws: `${nginx.base.replace('http', 'ws')}/ws`, procs, postgres, gameServer: gs, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** nginx running the shipped deploy/docker/nginx.conf (the stack's substitutions only), in front of the two services. */
async function startNginx(gsPort: number, esPort: number) {
  const bin = findNginx();
  if (!bin) throw new Error('nginx not found');
  const port = await freePort();
  // The web upstream is unused here (nothing under / is requested); a closed port stands in.
  const webPort = await freePort();
  const prefix = mkdtempSync(path.join(os.tmpdir(), 'mt-bench-nginx-'));
  chmodSync(prefix, 0o755); // nginx workers run unprivileged when we are root
  const { args } = prepareNginx({
    shippedConf: path.join(REPO_ROOT, 'deploy/docker/nginx.conf'),
    prefix,
    addresses: { web: `127.0.0.1:${webPort}`, game_server: `127.0.0.1:${gsPort}`, event_stream: `127.0.0.1:${esPort}` },
    listen: `127.0.0.1:${port}`,
  });
  // The access log goes to the log file like the container's stdout.
  const proc = startProc('nginx', bin, args, process.env, prefix);
  const base = `http://127.0.0.1:${port}`;
  await waitReady(proc, `${base}/health`, 20_000);
  const children = (): number[] => {
    try {
      return readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  return {
    base,
    pids: [proc.pid, ...children()],
    stop: async () => {
      await proc.stop();
      // Keep nginx's error log (worker_connections, upstream failures) with the other logs.
      try {
        copyFileSync(path.join(prefix, 'logs', 'error.log'), path.join(RESULTS_DIR, 'logs', 'nginx-error.log'));
      } catch { /* no errors logged */ }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
