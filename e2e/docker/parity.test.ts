// Dockerfile parity (BRIEF §7: no Docker engine here). From a clean `git archive HEAD`,
// each Dockerfile's stages are replayed outside Docker (e2e/docker/replay.ts); the final
// stage's directory holds exactly what its COPY lines took; the build stages are then
// deleted, and the layout is started with the image's CMD, WORKDIR and ENV (plus the
// environment compose gives the service) and probed with the image's own HEALTHCHECK.
// Each layout's size is printed and written to e2e/artifacts/docker-layouts.json.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, renameSync, writeFileSync, createWriteStream, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/stack/index.mjs';
import { freePort } from '../../scripts/stack/procs.mjs';
import { replayDockerfile, type ReplayResult } from './replay.js';
import { prerequisites } from '../stack/support.js';

const DB_URL = process.env.TEST_DATABASE_URL;
const REDIS_URL = process.env.TEST_REDIS_URL;
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const runnable = prerequisites('Dockerfile parity', [
  ...(DB_URL ? [] : ['TEST_DATABASE_URL']),
  ...(REDIS_URL ? [] : ['TEST_REDIS_URL']),
  ...['git', 'tar', 'psql', 'du'].filter((cmd) => !has(cmd)),
]);
const ARTIFACTS = path.join(REPO_ROOT, 'e2e/artifacts');
// The images run as the unprivileged `node` user. This machine has no such user: as
// root, the layouts run as `nobody` (and COPY --chown=node goes to nobody), so a layout
// that needs to write where the image could not, or to read what it may not, fails here.
const RUN_AS = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

describe.runIf(runnable)('Dockerfile parity (replayed outside Docker)', () => {
  let work: string;
  let context: string;
  let dbName: string;
  let dbUrl: string;
  const children: ChildProcess[] = [];
  const sizes: Record<string, { kib: number; mib: number; buildMs: Record<string, number> }> = {};
  let gameServerUrl = '';

  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'mt-parity-'));
    chmodSync(work, 0o755); // the unprivileged user must reach the layouts
    context = path.join(work, 'context');
    mkdirSync(context);
    mkdirSync(ARTIFACTS, { recursive: true });
    const archived = spawnSync('sh', ['-c', `git -C "${REPO_ROOT}" archive --format=tar HEAD | tar -x -C "${context}"`], { encoding: 'utf8' });
    if (archived.status !== 0) throw new Error(`git archive failed: ${archived.stderr}`);
    dbName = `mt_parity_${randomBytes(4).toString('hex')}`;
    psql(`CREATE DATABASE ${dbName}`);
    const u = new URL(DB_URL!);
    u.pathname = `/${dbName}`;
    dbUrl = u.toString();
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && !c.signalCode) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null && !c.signalCode ? new Promise((r) => c.once('exit', r)) : null)));
    if (dbName) psql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    if (work) spawn('rm', ['-rf', work], { detached: true, stdio: 'ignore' }).unref();
    if (Object.keys(sizes).length) {
      writeFileSync(path.join(ARTIFACTS, 'docker-layouts.json'), `${JSON.stringify(sizes, null, 2)}\n`);
    }
  });

  function psql(sql: string) {
    const r = spawnSync('psql', [DB_URL!, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr}`);
  }

  async function build(name: string, dockerfile: string): Promise<ReplayResult> {
    const logFile = path.join(ARTIFACTS, `parity-${name}.log`);
    writeFileSync(logFile, '');
    const r = await replayDockerfile({ dockerfile: path.join(context, dockerfile), context, workDir: path.join(work, name), logFile, chownTo: RUN_AS });
    // Only the final stage stays where it was: the layout must not lean on the build
    // directories. (Moved aside rather than deleted here: deleting a full node_modules
    // tree costs tens of seconds; afterAll removes everything in the background.)
    for (const s of r.stages) {
      if (s !== r.final) renameSync(path.join(work, name, `stage-${s.name}`), path.join(work, `gone-${name}-${s.name}`));
    }
    const kib = Number(spawnSync('du', ['-sk', r.root], { encoding: 'utf8' }).stdout.split('\t')[0]);
    sizes[name] = { kib, mib: Math.round((kib / 1024) * 10) / 10, buildMs: r.timingsMs };
    console.log(`[parity] ${name}: final layout ${sizes[name]!.mib} MiB; stage times ${JSON.stringify(r.timingsMs)}`);
    return r;
  }

  /** Start `cmd` like the container would: image ENV + service env, nothing else. */
  function start(name: string, r: ReplayResult, cmd: string[], env: Record<string, string>) {
    const fullEnv = { PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`, HOME: os.tmpdir(), ...r.env, ...env };
    const log = createWriteStream(path.join(ARTIFACTS, `parity-${name}.run.log`));
    const [bin, ...args] = cmd;
    expect(bin, 'CMD runs node directly (no npm start: it swallows SIGTERM)').toBe('node');
    const child = spawn(process.execPath, args, { cwd: r.cwd, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'], ...RUN_AS });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    children.push(child);
    return { child, env: fullEnv, logPath: path.join(ARTIFACTS, `parity-${name}.run.log`) };
  }

  /** The image's HEALTHCHECK, run in the service's environment, until it passes. */
  async function healthy(r: ReplayResult, svc: { child: ChildProcess; env: Record<string, string>; logPath: string }) {
    const [bin, ...args] = r.final.healthcheck!.cmd;
    expect(bin).toBe('node');
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (svc.child.exitCode !== null) throw new Error(`exited ${svc.child.exitCode}:\n${readFileSync(svc.logPath, 'utf8').slice(-3000)}`);
      const probe = spawnSync(process.execPath, args, { cwd: r.cwd, env: svc.env, timeout: 5000, ...RUN_AS });
      if (probe.status === 0) return;
      if (Date.now() > deadline) throw new Error(`HEALTHCHECK never passed:\n${readFileSync(svc.logPath, 'utf8').slice(-3000)}`);
      await new Promise((res) => setTimeout(res, 500));
    }
  }

  it('Dockerfile.server: the layout runs game-server (CMD) and event-stream (compose command) healthy', async () => {
    const r = await build('server', 'deploy/docker/Dockerfile.server');
    expect(readdirSync(r.root)).toEqual(['app']);
    expect(readdirSync(path.join(r.root, 'app')).sort()).toEqual(['node_modules', 'server']);
    expect(r.final.user).toBe('node');
    expect(r.env.NODE_ENV).toBe('production');
    // The server's production dependencies only: no test runner, compiler, bundler or
    // the web's packages in the image.
    for (const dev of ['vitest', 'typescript', 'esbuild', 'tsx', 'next', 'react']) {
      expect(readdirSync(path.join(r.root, 'app/node_modules')), dev).not.toContain(dev);
    }

    const secret = randomBytes(32).toString('hex');
    const gsPort = await freePort();
    const gs = start('game-server', r, r.final.cmd!, {
      PORT: String(gsPort), DATABASE_URL: dbUrl, REDIS_URL: REDIS_URL!, SESSION_SECRET: secret, TRUST_PROXY: '1',
    });
    await healthy(r, gs);
    gameServerUrl = `http://127.0.0.1:${gsPort}`;
    const agents = (await (await fetch(`${gameServerUrl}/api/agents`)).json()) as { agents: Array<{ id: string }> };
    expect(agents.agents.map((a) => a.id)).toContain('championchimp');

    const esPort = await freePort();
    const es = start('event-stream', r, ['node', 'dist/event-stream.js'], {
      PORT: String(esPort), REDIS_URL: REDIS_URL!, SESSION_SECRET: secret, TRUST_PROXY: '1',
    });
    await healthy(r, es);
  }, 420_000);

  it('Dockerfile.web: the standalone layout runs `node web/server.js` healthy and renders', async () => {
    const r = await build('web', 'deploy/docker/Dockerfile.web');
    expect(readdirSync(path.join(r.root, 'app', 'web')).sort()).toEqual(expect.arrayContaining(['.next', 'public', 'server.js']));
    expect(readdirSync(path.join(r.root, 'app', 'web', '.next'))).toContain('static');
    expect(r.final.user).toBe('node');
    expect(r.env.HOSTNAME).toBe('0.0.0.0');
    const port = await freePort();
    const web = start('web', r, r.final.cmd!, { PORT: String(port), GAME_SERVER_URL: gameServerUrl || 'http://127.0.0.1:9' });
    await healthy(r, web);
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const asset = /\/_next\/static\/[^"'\s]+\.js/.exec(html)?.[0];
    expect(asset).toBeDefined();
    expect((await fetch(`http://127.0.0.1:${port}${asset}`)).status).toBe(200);
  }, 600_000);
});
