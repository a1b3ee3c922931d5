// Replays a Dockerfile outside Docker: every stage gets its own directory standing in for
// its filesystem root; WORKDIR/ENV/COPY/RUN are applied in order (COPY from the build
// context honours .dockerignore; COPY --from takes from the named stage's directory).
// The last stage's directory is then exactly what its COPY lines took: the image layout.
// Differences from Docker, on purpose: the base image's node is this machine's node, RUN
// runs as the current user, and --chown uses a local stand-in user (see chownTo).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { parseDockerfile, type Stage } from './dockerfile.js';

/** .dockerignore matcher: true when `rel` (context-relative, '/'-separated) is excluded. */
export function dockerignore(text: string): (rel: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = path.posix.normalize((negate ? l.slice(1) : l).replace(/^\/+/, ''));
      const source = pattern
        .split('/')
        .map((seg) => (seg === '**' ? '\u0000' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
        .join('/')
        .replace(/\u0000\//g, '(?:.*/)?')
        .replace(/\u0000/g, '.*');
      return { negate, re: new RegExp(`^${source}$`) };
    });
  return (rel) => {
    const parts = rel.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) if (prefixes.some((p) => rule.re.test(p))) excluded = !rule.negate;
    return excluded;
  };
}

/** The environment RUN steps and the service start with: this machine's, minus test noise. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(npm_|VITEST|INIT_CWD$|NODE_ENV$|NODE_OPTIONS$|TEST$)/i.test(k)) continue;
    env[k] = v;
  }
  env.PATH = `${path.dirname(process.execPath)}:${env.PATH ?? '/usr/local/bin:/usr/bin:/bin'}`;
  return env;
}

function run(command: string, cwd: string, env: Record<string, string>, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile, { flags: 'a' });
    out.write(`\n$ ${command}\n`);
    const child = spawn('/bin/sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', reject);
    child.on('close', (code) => {
      out.end(() => {
        if (code === 0) return resolve();
        const tailText = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
        reject(new Error(`RUN ${command} failed (${code}) in ${cwd}:\n${tailText}`));
      });
    });
  });
}

export interface ReplayResult {
  stages: Stage[];
  final: Stage;
  /** The final stage's root directory: the image layout. */
  root: string;
  /** Absolute directory the CMD runs in (root + WORKDIR). */
  cwd: string;
  env: Record<string, string>;
  timingsMs: Record<string, number>;
}

export async function replayDockerfile(opts: {
  dockerfile: string;
  context: string;
  workDir: string;
  logFile: string;
  /** Local stand-in for the image's users: `COPY --chown` chowns to it (needs root). */
  chownTo?: { uid: number; gid: number };
}): Promise<ReplayResult> {
  const stages = parseDockerfile(readFileSync(opts.dockerfile, 'utf8'));
  const ignoreFile = path.join(opts.context, '.dockerignore');
  const ignored = dockerignore(existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : '');
  const roots = new Map<string, string>();
  // A stage FROM an earlier stage inherits its files, WORKDIR and ENV.
  const finalState = new Map<string, { workdir: string; env: Record<string, string> }>();
  const timingsMs: Record<string, number> = {};

  for (const stage of stages) {
    const t0 = Date.now();
    const root = path.join(opts.workDir, `stage-${stage.name}`);
    mkdirSync(root, { recursive: true });
    const parent = roots.get(stage.base);
    if (parent) cpSync(parent, root, { recursive: true, verbatimSymlinks: true });
    else if (!/^node:\d+/.test(stage.base)) throw new Error(`FROM ${stage.base}: only node:<version> images and earlier stages can be replayed`);
    roots.set(stage.name, root);

    let workdir = finalState.get(stage.base)?.workdir ?? '/';
    let env: Record<string, string> = { ...finalState.get(stage.base)?.env };
    const inside = (p: string) => path.join(root, p.startsWith('/') ? p : path.posix.join(workdir, p));
    for (const step of stage.steps) {
      if (step.kind === 'WORKDIR') {
        workdir = step.path.startsWith('/') ? step.path : path.posix.join(workdir, step.path);
        mkdirSync(inside(workdir), { recursive: true });
      } else if (step.kind === 'ENV') {
        env = { ...env, ...step.vars };
      } else if (step.kind === 'RUN') {
        const started = Date.now();
        await run(step.command, inside(workdir), { ...baseEnv(), ...env }, opts.logFile);
        timingsMs[`${stage.name}: ${step.command.slice(0, 60)}`] = Date.now() - started;
      } else {
        const fromRoot = step.from ? roots.get(step.from) : opts.context;
        if (!fromRoot) throw new Error(`COPY --from=${step.from}: no such stage before ${stage.name}`);
        for (const src of step.sources) {
          if (/[*?[]/.test(src)) throw new Error(`COPY ${src}: wildcards are not supported by the replay`);
          const from = path.join(fromRoot, src);
          if (!existsSync(from)) throw new Error(`COPY ${step.from ? `--from=${step.from} ` : ''}${src}: source does not exist`);
          const dirSource = statSync(from).isDirectory();
          let to = inside(step.dest);
          if (!dirSource && (step.dest.endsWith('/') || step.sources.length > 1)) to = path.join(to, path.basename(from));
          mkdirSync(dirSource ? to : path.dirname(to), { recursive: true });
          cpSync(from, to, {
            recursive: true,
            verbatimSymlinks: true,
            filter: (p) => step.from !== null || !path.relative(opts.context, p) || !ignored(path.relative(opts.context, p).split(path.sep).join('/')),
          });
          if (step.chown && opts.chownTo) {
            const r = spawnSync('chown', ['-R', '-h', `${opts.chownTo.uid}:${opts.chownTo.gid}`, to]);
            if (r.status !== 0) throw new Error(`COPY --chown: chown failed: ${r.stderr}`);
          }
        }
      }
    }
    finalState.set(stage.name, { workdir, env });
    timingsMs[stage.name] = Date.now() - t0;
  }

  const final = stages.at(-1)!;
  const root = roots.get(final.name)!;
  const { workdir, env } = finalState.get(final.name)!;
  return { stages, final, root, cwd: path.join(root, workdir), env, timingsMs };
}
