// Backing services of one browser-test run: its own Postgres database on TEST_DATABASE_URL
// (created here, dropped at the end) and its own redis-server on a free port (the game
// server has no key-prefix option, so a private Redis keeps runs from seeing each other).
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { freePort, spawnService, stopService, waitReady, type Service } from './procs.js';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createDatabase(baseUrl: string): Promise<TestDatabase> {
  const name = `mt_web_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.setTimeout(1000);
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      resolve(d.toString().startsWith('+PONG'));
      s.destroy();
    });
    s.on('error', () => resolve(false));
    s.on('timeout', () => {
      resolve(false);
      s.destroy();
    });
  });
}

export async function startRedis(logDir: string): Promise<{ url: string; service: Service; stop(): Promise<void> }> {
  const port = await freePort();
  const service = spawnService('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    cwd: logDir,
    env: process.env,
    logDir,
  });
  await waitReady(service, () => redisPing(port), 20_000);
  return { url: `redis://127.0.0.1:${port}`, service, stop: () => stopService(service) };
}
