// The real Docker engine, driven through its CLI (docker, docker compose v2, docker
// buildx) for the container suite. Everything here shells out: the suite tests what a
// person typing these commands would get.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../scripts/stack/index.mjs';

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Also append stdout+stderr to this file (long build logs). */
  logFile?: string;
  timeoutMs?: number;
}

/** Run a command to completion; never throws (see `ok`). Output is kept up to 4 MiB. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<Result> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : null;
    let stdout = '';
    let stderr = '';
    const keep = (acc: string, chunk: Buffer) => (acc.length < 4 << 20 ? acc + chunk.toString('utf8') : acc);
    child.stdout.on('data', (c: Buffer) => { stdout = keep(stdout, c); log?.write(c); });
    child.stderr.on('data', (c: Buffer) => { stderr = keep(stderr, c); log?.write(c); });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs) : null;
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      log?.end();
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: Date.now() - t0 });
    });
    child.on('error', (err) => resolve({ code: 127, stdout, stderr: String(err), ms: Date.now() - t0 }));
  });
}

/** `run`, but a non-zero exit is an error carrying the command's last output. */
export async function ok(cmd: string, args: string[], opts: RunOptions = {}): Promise<Result> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}:\n${tail}`);
  }
  return r;
}

export const docker = (args: string[], opts?: RunOptions) => ok('docker', args, opts);

/** What the suite needs from the machine that is not there (empty: runnable). */
export function missingEngine(): string[] {
  const works = (args: string[]) => spawnSync('docker', args, { stdio: 'ignore', timeout: 20_000 }).status === 0;
  if (!works(['--version'])) return ['the docker CLI'];
  const missing: string[] = [];
  if (!works(['info'])) missing.push('a running Docker engine (`sudo deploy/docker/engine.sh start`)');
  if (!works(['compose', 'version'])) missing.push('the Compose v2 plugin (`docker compose`)');
  if (!works(['buildx', 'version'])) missing.push('the buildx plugin (BuildKit builds)');
  return missing;
}

/** The host's CA bundle, handed to builds as the `npm-ca` BuildKit secret when present. */
export function caBundle(): string | null {
  const candidates = [process.env.NODE_EXTRA_CA_CERTS, '/etc/ssl/certs/ca-certificates.crt'];
  return candidates.find((f): f is string => !!f && existsSync(f)) ?? null;
}

/**
 * A build context like the working tree: tracked and untracked-but-not-ignored files
 * (so uncommitted edits are built), without node_modules or build output.
 */
export async function copyWorkingTree(dest: string): Promise<void> {
  await ok('sh', ['-c',
    'git -C "$1" ls-files -z -co --exclude-standard | tar -C "$1" --null --ignore-failed-read -T - -cf - | tar -C "$2" -xf -',
    'sh', REPO_ROOT, dest]);
}

export interface Build {
  ms: number;
  /** Steps (RUN/COPY) that BuildKit executed rather than took from its cache. */
  executed: string[];
}

/** `docker buildx build` with plain progress; which steps ran is read from the log. */
export async function buildImage(ctx: string, dockerfile: string, tag: string, logFile: string): Promise<Build> {
  const ca = caBundle();
  const r = await ok('docker', [
    'buildx', 'build', '--progress=plain',
    // Builds fetch npm packages: the host network has the route out the bridge may lack.
    '--network', 'host',
    ...(ca ? ['--secret', `id=npm-ca,src=${ca}`] : []),
    '-f', path.join(ctx, dockerfile), '-t', tag, ctx,
  ], { logFile, timeoutMs: 40 * 60_000 });
  return { ms: r.ms, executed: executedSteps(`${r.stdout}\n${r.stderr}`) };
}

/** From `--progress=plain` output: the RUN/COPY steps not marked CACHED. */
export function executedSteps(log: string): string[] {
  const steps = new Map<string, string>();
  const cached = new Set<string>();
  for (const line of log.split('\n')) {
    const step = /^#(\d+) \[[^\]]+\] ((?:RUN|COPY) .*)$/.exec(line);
    if (step) steps.set(step[1]!, step[2]!);
    const hit = /^#(\d+) CACHED$/.exec(line.trim());
    if (hit) cached.add(hit[1]!);
  }
  return [...steps].filter(([id]) => !cached.has(id)).map(([, what]) => what);
}

export interface ImageInfo {
  bytes: number;
  user: string;
  layers: number;
}

export async function imageInfo(tag: string): Promise<ImageInfo> {
  const r = await docker(['image', 'inspect', '-f', '{{.Size}} {{len .RootFS.Layers}} {{json .Config.User}}', tag]);
  const [bytes, layers, user] = r.stdout.trim().split(' ');
  return { bytes: Number(bytes), layers: Number(layers), user: JSON.parse(user!) as string };
}

export const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
