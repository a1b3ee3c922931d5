/**
 * The server image's RDS CA bundle step (deploy/docker/Dockerfile.server), run as
 * Docker would run it (sh, the build args as variables) against a local stand-in for
 * truststore.pki.rds.amazonaws.com: the real download cannot happen on this machine.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const dockerfile = readFileSync(path.join(ROOT, 'deploy/docker/Dockerfile.server'), 'utf8');
const step = /^RUN (mkdir -p certs && node -e .*rds-global-bundle\.pem.*)$/m.exec(dockerfile)?.[1];
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/global-bundle.pem') res.writeHead(200).end(PEM);
    else if (req.url === '/html') res.writeHead(200).end('<html>captive portal</html>');
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function runStep(url: string, required: boolean): Promise<{ code: number | null; bundle: string | undefined; stderr: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mt-rdsca-'));
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', step as string], { cwd: dir, env: { PATH: process.env.PATH, RDS_CA_URL: url, RDS_CA_REQUIRED: String(required) } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const file = path.join(dir, 'certs/rds-global-bundle.pem');
      const bundle = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, bundle, stderr });
    });
  });
}

describe('Dockerfile.server ships the RDS CA bundle at /app/server/certs/rds-global-bundle.pem', () => {
  it('has the step, in the runtime stage, writing under WORKDIR /app/server', () => {
    expect(step).toBeDefined();
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toContain(step);
    expect(runtime).toMatch(/WORKDIR \/app\/server/);
  });

  it('downloads and keeps a PEM bundle', async () => {
    const r = await runStep(`${base}/global-bundle.pem`, true);
    expect(r.code, r.stderr).toBe(0);
    expect(r.bundle).toBe(PEM);
  });

  it('fails the build when required and the bundle is missing or not PEM', async () => {
    for (const url of [`${base}/missing`, `${base}/html`, '']) {
      const r = await runStep(url, true);
      expect(r.code, url).toBe(1);
      expect(r.bundle).toBeUndefined();
      expect(r.stderr).toMatch(/RDS CA bundle not added/);
    }
  });

  it('an offline build that does not require it goes on without the file (the game-server then refuses to connect)', async () => {
    const r = await runStep(`${base}/missing`, false);
    expect(r.code).toBe(0);
    expect(r.bundle).toBeUndefined();
  });
});
