// One compose project for the suite: a copy of the working tree with a generated .env
// and the CI override, run under its own project name so a developer's own
// `docker compose up` (project "monkeytown") is never touched.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { docker, ok, run, type RunOptions } from './engine.js';

export const PROJECT = 'monkeytown-e2e';

// The only things CI forces: the shared machine's ports (5432/6379 are the shared
// Postgres/Redis, 3000/3001/8080 other tests', 80 maybe anyone's). Nothing is published
// but nginx, on a loopback port the engine picks.
const OVERRIDE = `# Written by e2e/docker: the CI machine's ports only, and the game-server's request lines
# (the test reads which client address it keyed each request by).
services:
  web: { ports: !reset [] }
  game-server: { ports: !reset [], environment: { LOG_LEVEL: info } }
  event-stream: { ports: !reset [] }
  postgres: { ports: !reset [] }
  redis: { ports: !reset [] }
  redis-commander: { ports: !reset [] }
  nginx:
    ports: !override ["127.0.0.1::80"]
`;

export class Project {
  readonly dir: string;
  readonly secrets: { SESSION_SECRET: string; POSTGRES_PASSWORD: string };

  constructor() {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'mt-compose-'));
    this.secrets = {
      SESSION_SECRET: randomBytes(32).toString('hex'),
      POSTGRES_PASSWORD: randomBytes(12).toString('hex'),
    };
  }

  /** The .env compose reads, in the build context too: .dockerignore must keep it out. */
  writeEnv(): void {
    const lines = Object.entries(this.secrets).map(([k, v]) => `${k}=${v}`);
    writeFileSync(path.join(this.dir, '.env'), `${lines.join('\n')}\nLOG_LEVEL=warn\n`);
  }

  /** docker-compose.override.yml beside the unchanged docker-compose.yml (compose merges it). */
  writeOverride(): void {
    writeFileSync(path.join(this.dir, 'docker-compose.override.yml'), OVERRIDE);
  }

  compose(args: string[], opts: RunOptions = {}) {
    return ok('docker', ['compose', '-p', PROJECT, ...args], { cwd: this.dir, timeoutMs: 10 * 60_000, ...opts });
  }

  /** The loopback URL of nginx's published port (it changes with every `up`). */
  async base(): Promise<string> {
    const r = await this.compose(['port', 'nginx', '80']);
    return `http://${r.stdout.trim()}`;
  }

  async containerId(service: string): Promise<string> {
    return (await this.compose(['ps', '-q', service])).stdout.trim();
  }

  async inspect(service: string, format: string): Promise<string> {
    return (await docker(['inspect', '-f', format, await this.containerId(service)])).stdout.trim();
  }

  /** Containers, volumes and networks still labelled with the project. */
  async leftovers(): Promise<string[]> {
    const filter = `label=com.docker.compose.project=${PROJECT}`;
    const out = await Promise.all([
      docker(['ps', '-a', '-q', '--filter', filter]),
      docker(['volume', 'ls', '-q', '--filter', filter]),
      docker(['network', 'ls', '-q', '--filter', filter]),
    ]);
    return out.flatMap((r) => r.stdout.split('\n').filter(Boolean));
  }

  /** Best-effort cleanup for afterAll. */
  async destroy(): Promise<void> {
    await run('docker', ['compose', '-p', PROJECT, 'down', '-v', '--remove-orphans', '--timeout', '5'], { cwd: this.dir });
  }
}

export interface SecretScan {
  /** Layer files named .env (or .env.*, but .env.example). */
  envFiles: string[];
  /** Where a secret value was found: history, config or a layer. */
  hits: string[];
}

/**
 * Every layer of `image` (docker save), its history and its config, searched for the
 * secret values and for .env files.
 */
export async function scanImage(image: string, secrets: string[]): Promise<SecretScan> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mt-save-'));
  const hits: string[] = [];
  const envFiles: string[] = [];
  try {
    const history = (await docker(['history', '--no-trunc', '--format', '{{.CreatedBy}}', image])).stdout;
    const config = (await docker(['image', 'inspect', image])).stdout;
    for (const s of secrets) {
      if (history.includes(s)) hits.push(`${image}: docker history`);
      if (config.includes(s)) hits.push(`${image}: image config`);
    }
    await ok('sh', ['-c', 'docker save "$1" | tar -x -C "$2"', 'sh', image, dir]);
    const layers = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('layer.tar') || /^blobs\/sha256\/[0-9a-f]+$/.test(f));
    if (layers.length === 0) throw new Error(`docker save ${image}: no layers found`);
    for (const layer of layers) {
      const names = await ok('tar', ['-tf', path.join(dir, layer)]).catch(() => null);
      if (!names) continue; // an OCI blob that is a config/manifest, not a tar
      envFiles.push(...names.stdout.split('\n').filter((n) => /(^|\/)\.env(\.[^/]*)?$/.test(n) && !n.endsWith('.env.example')));
      for (const s of secrets) {
        const found = await run('sh', ['-c', 'tar -xOf "$1" | grep -aqF -- "$2"', 'sh', path.join(dir, layer), s]);
        if (found.code === 0) hits.push(`${image}: layer ${layer}`);
      }
    }
    return { envFiles, hits };
  } finally {
    await run('rm', ['-rf', dir]);
  }
}
