// The running Monkeytown a browser test talks to. Three ways to get one:
//  - direct (default): game-server, event-stream and the web standalone server spawned
//    here on free ports, against an own database on TEST_DATABASE_URL and an own Redis;
//    the browser uses the web origin for /api (Next proxy) and EVENT_STREAM_PUBLIC_URL.
//  - nginx (E2E_VIA_NGINX=1): the compose topology of scripts/stack (nginx in front,
//    same-origin /api and /ws), with our own database.
//  - external (E2E_BASE_URL=http://host:port): an already running stack; this harness
//    cannot kill its event stream, so the reconnect test reports itself skipped.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, freePort, RedisServer, type TestDatabase } from '@monkeytown/test-support';
import { httpOk, spawnService, stopService, waitReady, type Service } from './procs.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = path.join(REPO_ROOT, 'e2e/artifacts');

export interface BrowserStack {
  mode: 'direct' | 'nginx' | 'external';
  /** Origin the browser opens. */
  baseUrl: string;
  /** Whether killEventStream/startEventStream work in this mode. */
  canRestartEventStream: boolean;
  /** SIGKILL the event-stream process (the page must notice and reconnect). */
  killEventStream(): Promise<void>;
  /** Start it again on the same port; resolves when healthy. */
  startEventStream(): Promise<void>;
  stop(): Promise<void>;
}

/** Test env for the servers: quick AI turns (still long enough to see "thinking…"). */
const SERVER_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  AI_THINK_DELAY: '0.3',
  RATE_LIMIT_IP_PER_MIN: '100000',
  RATE_LIMIT_PLAYER_PER_MIN: '100000',
  RATE_LIMIT_CREATE_PLAYER_PER_MIN: '10000',
  // Issue 12: an opponent gone this long may be claimed (short, so a browser test can wait it out).
  DISCONNECT_CLAIM_SECONDS: '3',
};

function serverEntry(name: 'game-server' | 'event-stream'): { cmd: string; args: string[] } {
  const dist = path.join(REPO_ROOT, 'server/dist', `${name}.js`);
  if (existsSync(dist)) return { cmd: process.execPath, args: [dist] };
  // No build yet (local development): run the TypeScript entry through tsx. CI always builds.
  if (process.env.CI === 'true') throw new Error(`${dist} is missing: run \`npm run build\` first`);
  return { cmd: process.execPath, args: ['--import', 'tsx', path.join(REPO_ROOT, 'server/src/bin', `${name}.ts`)] };
}

export function requireTestBackends(): { databaseUrl: string } | { skip: string } {
  if (process.env.E2E_BASE_URL) return { databaseUrl: '' };
  const databaseUrl = process.env.TEST_DATABASE_URL;
  if (!databaseUrl) {
    const why = 'TEST_DATABASE_URL is not set (browser tests need Postgres)';
    if (process.env.CI === 'true') throw new Error(why);
    return { skip: why };
  }
  const web = path.join(REPO_ROOT, 'web/.next/standalone/web/server.js');
  if (!existsSync(web)) {
    const why = `${web} is missing: run \`npm run build\` first`;
    if (process.env.CI === 'true') throw new Error(why);
    return { skip: why };
  }
  return { databaseUrl };
}

/** `env`: server settings a suite needs beyond the test env (e.g. a short first-move timeout). */
export async function startBrowserStack(databaseUrl: string, opts: { via?: 'direct' | 'nginx'; env?: Record<string, string> } = {}): Promise<BrowserStack> {
  if (process.env.E2E_BASE_URL) {
    const baseUrl = process.env.E2E_BASE_URL.replace(/\/+$/, '');
    const fail = async () => {
      throw new Error('external stack: the harness cannot restart its event stream');
    };
    return { mode: 'external', baseUrl, canRestartEventStream: false, killEventStream: fail, startEventStream: fail, stop: async () => {} };
  }
  const db = await createTestDatabase(databaseUrl, 'mt_web');
  try {
    const via = opts.via ?? (process.env.E2E_VIA_NGINX === '1' ? 'nginx' : 'direct');
    const serverEnv = { ...SERVER_ENV, ...opts.env };
    return via === 'nginx' ? await viaNginx(db, serverEnv) : await direct(db, serverEnv);
  } catch (err) {
    await db.drop().catch(() => {});
    throw err;
  }
}

async function direct(db: TestDatabase, serverEnv: Record<string, string>): Promise<BrowserStack> {
  const logDir = path.join(ARTIFACTS, 'logs');
  mkdirSync(logDir, { recursive: true });
  const redis = await RedisServer.start({ logFile: path.join(logDir, 'redis.log') });
  const secret = randomBytes(32).toString('hex');
  const [gsPort, esPort, webPort] = [await freePort(), await freePort(), await freePort()];
  const services: Service[] = [];
  const cwd = path.join(REPO_ROOT, 'server');
  const env = (extra: Record<string, string>) => ({ ...process.env, ...serverEnv, SESSION_SECRET: secret, HOST: '127.0.0.1', ...extra });

  const startGs = async () => {
    const e = serverEntry('game-server');
    const svc = spawnService('game-server', e.cmd, e.args, { cwd, logDir, env: env({ PORT: String(gsPort), DATABASE_URL: db.url, REDIS_URL: redis.url }) });
    services.push(svc);
    await waitReady(svc, httpOk(`http://127.0.0.1:${gsPort}/health/ready`), 90_000);
  };
  let es: Service | null = null;
  const startEs = async () => {
    const e = serverEntry('event-stream');
    es = spawnService('event-stream', e.cmd, e.args, { cwd, logDir, env: env({ PORT: String(esPort), REDIS_URL: redis.url }) });
    services.push(es);
    await waitReady(es, httpOk(`http://127.0.0.1:${esPort}/health/ready`), 60_000);
  };
  const stopAll = async () => {
    for (const s of services.slice().reverse()) await stopService(s);
    await redis.dispose();
    await db.drop().catch(() => {});
  };

  try {
    await startGs();
    await startEs();
    const webRoot = path.join(REPO_ROOT, 'web/.next/standalone');
    const web = spawnService('web', process.execPath, ['web/server.js'], {
      cwd: webRoot,
      logDir,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(webPort),
        HOSTNAME: '127.0.0.1',
        GAME_SERVER_URL: `http://127.0.0.1:${gsPort}`,
        EVENT_STREAM_PUBLIC_URL: `ws://127.0.0.1:${esPort}/ws`,
      },
    });
    services.push(web);
    await waitReady(web, httpOk(`http://127.0.0.1:${webPort}/health`), 60_000);
  } catch (err) {
    await stopAll();
    throw err;
  }

  return {
    mode: 'direct',
    baseUrl: `http://127.0.0.1:${webPort}`,
    canRestartEventStream: true,
    killEventStream: () => stopService(es, 'SIGKILL'),
    startEventStream: startEs,
    stop: stopAll,
  };
}

async function viaNginx(db: TestDatabase, serverEnv: Record<string, string>): Promise<BrowserStack> {
  // The containers engineer's programmatic stack (nginx + services), typed in index.d.mts.
  const { startStack } = await import('../../scripts/stack/index.mjs');
  // One state folder (logs, nginx config), replaced on every run so artifacts stay small.
  const stateDir = path.join(ARTIFACTS, 'nginx-stack');
  rmSync(stateDir, { recursive: true, force: true });
  const stack = await startStack({ stateDir, databaseUrl: db.url, env: serverEnv });
  return {
    mode: 'nginx',
    baseUrl: stack.urls.base,
    canRestartEventStream: true,
    killEventStream: () => stack.kill('event-stream', 'SIGKILL'),
    startEventStream: () => stack.restart('event-stream'),
    stop: async () => {
      await stack.stop();
      await db.drop().catch(() => {});
    },
  };
}
