import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createPostgresDatabase, hasPostgres } from '../helpers/db.js';

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/bin/game-server.ts');

/** Runs the real entry point (through tsx) and collects its output. */
function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

describe('game-server entry point', () => {
  it('refuses to start in production without a real SESSION_SECRET', async () => {
    const p = run({ NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1' });
    expect(await p.exited).toBe(78);
    expect(p.output()).toMatch(/SESSION_SECRET/);
  });

  it.runIf(hasPostgres())('serves with JSON logs, refuses a second copy on its port, then exits 0 on SIGTERM', async () => {
    const { url, drop } = await createPostgresDatabase();
    const p = run({
      NODE_ENV: 'production', SESSION_SECRET: 'a-real-secret-of-at-least-32-chars!!', DATABASE_URL: url,
      PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info',
    });
    try {
      let port = 0;
      for (let i = 0; i < 300 && !port; i++) {
        const m = /"port":(\d+).*"msg":"game-server ready"/.exec(p.output());
        if (m) port = Number(m[1]);
        else await new Promise((r) => setTimeout(r, 100));
      }
      expect(port, p.output()).toBeGreaterThan(0);
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(ready.status).toBe(200);
      const logLine = p.output().split('\n').find((l) => l.includes('"msg":"game-server ready"'))!;
      expect(JSON.parse(logLine)).toMatchObject({ level: 30, port });
      // A second game-server on the same port refuses to start, saying why (with
      // SO_REUSEPORT sockets it would otherwise share the port: http/listen.ts).
      const second = run({
        NODE_ENV: 'production', SESSION_SECRET: 'a-real-secret-of-at-least-32-chars!!', DATABASE_URL: url,
        PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info',
      });
      expect(await second.exited, second.output()).toBe(1);
      expect(second.output()).toMatch(new RegExp(`port ${port} on 127.0.0.1 is already in use`));
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
      p.child.kill('SIGTERM');
      expect(await p.exited, p.output()).toBe(0);
      expect(p.output()).toMatch(/"signal":"SIGTERM"/);
    } finally {
      p.child.kill('SIGKILL');
      await drop();
    }
  });
});
