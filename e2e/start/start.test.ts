// Issue 16, acceptance 1: `npm start` on the built tree, as a newcomer runs it. Listens on
// loopback only, prints human lines (no JSON request logs), PORT moves the site, and a
// taken port names the variable to change.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@monkeytown/test-support';
import { listeners, processTree } from './sockets.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(path.join(root, 'server/dist/local.js')) && existsSync(path.join(root, 'web/.next/standalone/web/server.js'));
if (!built) {
  const why = 'npm start test: no build (run `npm run build` first)';
  if (process.env.CI === 'true') throw new Error(why);
  console.warn(`skipped: ${why}`);
}

interface Started {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

function npmStart(env: Record<string, string>, dataDir: string): Started {
  const base = { ...process.env };
  for (const k of ['HOST', 'LOG_LEVEL', 'NODE_ENV', 'WEB_PORT', 'EVENT_STREAM_PORT', 'EVENT_STREAM_PUBLIC_URL']) delete base[k];
  // Its own process group, so the whole tree (npm, start.mjs, services) stops together.
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...base, DATA_DIR: dataDir, AI_THINK_DELAY: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  let partial = '';
  const take = (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, lines, exited };
}

async function until(s: Started, re: RegExp, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!s.lines.some((l) => re.test(l))) {
    if (s.child.exitCode !== null) throw new Error(`npm start exited (${s.child.exitCode}):\n${s.lines.join('\n')}`);
    if (Date.now() > deadline) throw new Error(`no ${re} after ${ms} ms:\n${s.lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(s: Started): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode) return;
  try {
    process.kill(-s.child.pid!, 'SIGINT'); // what Ctrl-C sends to the terminal's group
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-s.child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  }, 15_000);
  await s.exited;
  clearTimeout(timer);
}

/** 4100 as the issue asks when it is free here, another free port otherwise. */
async function sitePort(): Promise<number> {
  const net = await import('node:net');
  const ok = await new Promise<boolean>((resolve) => {
    const srv = net.createServer().once('error', () => resolve(false));
    srv.listen(4100, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
  return ok ? 4100 : freePort();
}

describe.skipIf(!built)('npm start', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mt-start-'));
  let run: Started;
  let ports: { site: number; api: number; events: number };
  let pids: number[] = [];

  beforeAll(async () => {
    ports = { site: await sitePort(), api: await freePort(), events: await freePort() };
    run = npmStart({ PORT: String(ports.site), API_PORT: String(ports.api), EVENTS_PORT: String(ports.events) }, dataDir);
    await until(run, /Monkeytown is ready/, 120_000);
    pids = processTree(run.child.pid!);
  }, 150_000);

  afterAll(async () => {
    if (run) await stop(run);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the site on PORT, the API and the event stream on API_PORT / EVENTS_PORT', async () => {
    const page = await fetch(`http://127.0.0.1:${ports.site}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Monkeytown');
    expect(run.lines).toContain(`✓ site    http://localhost:${ports.site}  ← Monkeytown is ready`);
    expect(run.lines.some((l) => l.includes(`http://localhost:${ports.api}/api`))).toBe(true);
    expect(run.lines.some((l) => l.includes(`ws://localhost:${ports.events}/ws`))).toBe(true);
    expect((await fetch(`http://127.0.0.1:${ports.events}/health/live`)).status).toBe(200);
  });

  it('listens on loopback only', () => {
    const ls = listeners(processTree(run.child.pid!));
    console.log(`npm start listens on: ${ls.map((l) => `${l.address}:${l.port}`).join(', ')} (pids ${pids.join(' ')})`);
    expect(ls.map((l) => l.port)).toEqual(expect.arrayContaining([ports.site, ports.api, ports.events]));
    expect(ls.filter((l) => !l.loopback)).toEqual([]);
  });

  it('prints human lines, not JSON request logs, while people play', async () => {
    // A guest, a game against an agent and a move: a dozen requests through the site's proxy.
    const api = `http://127.0.0.1:${ports.site}/api`;
    const json = { 'content-type': 'application/json' };
    const { token } = (await (await fetch(`${api}/players`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'Newcomer' }) })).json()) as { token: string };
    const auth = { ...json, authorization: `Bearer ${token}` };
    const created = await fetch(`${api}/games`, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'tictactoe', opponent: { kind: 'agent', agentId: 'speedygibbon' } }) });
    expect(created.status).toBe(201);
    type Snap = { game: { id: string; seq: number; turn: number; legalMoves: unknown[]; players: { seat: number; kind: string }[] } };
    let { game } = (await created.json()) as Snap;
    const mine = game.players.find((p) => p.kind === 'human')!.seat;
    // The agent may have the first move: wait for ours.
    for (let i = 0; i < 50 && game.turn !== mine; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ({ game } = (await (await fetch(`${api}/games/${game.id}`)).json()) as Snap);
    }
    const moved = await fetch(`${api}/games/${game.id}/moves`, { method: 'POST', headers: auth, body: JSON.stringify({ move: game.legalMoves[0], expectedSeq: game.seq }) });
    expect(moved.status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await fetch(`${api}/games?status=active`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));

    const first = run.lines.slice(0, 200);
    expect(first.filter((l) => /^\s*\{/.test(l) || /incoming request|request completed/.test(l))).toEqual([]);
    expect(first.length).toBeLessThan(20); // the build check, three ready lines, a hint
  });

  it('links a game record (PGN) back to the game on the site it serves', async () => {
    const api = `http://127.0.0.1:${ports.site}/api`;
    const json = { 'content-type': 'application/json' };
    const { token } = (await (await fetch(`${api}/players`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'Recorder' }) })).json()) as { token: string };
    const created = await fetch(`${api}/games`, {
      method: 'POST', headers: { ...json, authorization: `Bearer ${token}` }, body: JSON.stringify({ type: 'chess', opponent: { kind: 'open' }, seat: 0 }),
    });
    const { game } = (await created.json()) as { game: { id: string } };
    const pgn = await (await fetch(`${api}/games/${game.id}/pgn`)).text();
    expect(pgn).toContain(`[Site "http://localhost:${ports.site}/games/${game.id}"]`);
  });

  it('names the variable to set when a port is taken', async () => {
    for (const [variable, taken] of [['PORT', ports.site], ['API_PORT', ports.api], ['EVENTS_PORT', ports.events]] as const) {
      const env = { PORT: String(await freePort()), API_PORT: String(await freePort()), EVENTS_PORT: String(await freePort()), [variable]: String(taken) };
      const second = npmStart(env, dataDir);
      const code = await Promise.race([second.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000))]);
      if (code === 'timeout') await stop(second);
      expect(code).not.toBe(0);
      expect(second.lines.join('\n')).toContain(`Port ${taken} (`);
      expect(second.lines.join('\n')).toContain(`Set ${variable} to a free port`);
    }
  }, 200_000);

  /** The pid in the data directory's lock: one of the running start's processes (the API's). */
  function lockHolder(): number {
    const pid = Number(readFileSync(path.join(dataDir, 'monkeytown.lock'), 'utf8').trim());
    expect(processTree(run.child.pid!)).toContain(pid);
    return pid;
  }

  it('names every taken port at once, and the data directory another start holds, then stops', async () => {
    const holder = lockHolder();
    const second = npmStart({ PORT: String(ports.site), API_PORT: String(ports.api), EVENTS_PORT: String(ports.events) }, dataDir);
    const code = await Promise.race([second.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000))]);
    if (code === 'timeout') await stop(second);
    expect(code).toBe(1);
    const out = second.lines.join('\n');
    for (const [variable, port] of [['PORT', ports.site], ['API_PORT', ports.api], ['EVENTS_PORT', ports.events]] as const) {
      expect(out).toContain(`✖ Port ${port} (`);
      expect(out).toContain(`Set ${variable} to a free port`);
    }
    expect(out).toContain(`is in use by another Monkeytown process (pid ${holder})`);
    expect(out).toContain(dataDir);
    // Refused before anything started: no service line, and the first start still serves.
    expect(out).not.toMatch(/^(api|site):/m);
    expect((await fetch(`http://127.0.0.1:${ports.site}/`)).status).toBe(200);
  }, 90_000);

  it('a second start on other ports but the same data directory is refused, naming the directory and the pid', async () => {
    const env = { PORT: String(await freePort()), API_PORT: String(await freePort()), EVENTS_PORT: String(await freePort()) };
    const second = npmStart(env, dataDir);
    const code = await Promise.race([second.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000))]);
    if (code === 'timeout') await stop(second);
    expect(code).toBe(1);
    const out = second.lines.join('\n');
    expect(out).toContain(`✖ ${dataDir} is in use by another Monkeytown process (pid ${lockHolder()})`);
    expect(out).toContain('set DATA_DIR to another directory');
    expect(out).not.toContain('Port ');
    expect((await fetch(`http://127.0.0.1:${ports.site}/`)).status).toBe(200);
  }, 90_000);
});
