import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '@monkeytown/test-support';
import { createPgliteDb } from '../../src/db/pglite.js';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../src/db/data-lock.js';
import { waitFor } from '../helpers/server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const localEntry = path.resolve(here, '../../src/bin/local.ts');
const holderEntry = path.resolve(here, 'fixtures/lock-holder.ts');

interface Proc {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => out, exited };
}

/** A pid that was a process a moment ago and is none now. */
async function deadPid(): Promise<number> {
  const p = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => p.once('exit', r));
  return p.pid!;
}

/**
 * Issue 26: one process per DATA_DIR. A second local server on the same directory is
 * refused at once, naming the directory and the pid that holds it, and the first one's
 * data stays whole; a lock left by a killed process is taken over; racing starters over a
 * stale lock get exactly one winner.
 */
describe('the data directory lock', () => {
  const dirs: string[] = [];
  const procs: Proc[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'mt-lock-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function local(dataDir: string): Promise<Proc & { api: number }> {
    const api = await freePort();
    const p = run([localEntry], {
      DATA_DIR: dataDir, PORT: String(api), EVENT_STREAM_PORT: String(await freePort()), LOG_LEVEL: 'info', AI_THINK_DELAY: '0',
    });
    procs.push(p);
    return { ...p, api };
  }
  const ready = (p: Proc) => waitFor(() => {
    if (p.child.exitCode !== null) throw new Error(`exited ${p.child.exitCode}:\n${p.out()}`);
    return p.out().includes('monkeytown (local) ready');
  }, 90_000, 'the local server');

  it('a second local server on the same DATA_DIR is refused at once; a killed one\'s lock is taken over', async () => {
    const dataDir = tmp();
    // Seeded from the migrated template: PGlite's initdb on disk is slow on a busy machine.
    const seed = await createPgliteDb(path.join(dataDir, 'pg'), { loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
    await seed.close();

    const first = await local(dataDir);
    await ready(first);
    expect(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(first.child.pid));
    const created = await fetch(`http://127.0.0.1:${first.api}/api/players`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Keeper' }),
    });
    const { token } = (await created.json()) as { token: string };

    const second = await local(dataDir);
    const code = await Promise.race([second.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000))]);
    expect(code, second.out()).toBe(1);
    expect(second.out()).toContain(`${dataDir} is in use by another Monkeytown process (pid ${first.child.pid})`);
    expect(second.out()).not.toMatch(/at .*\.ts:\d+/); // one clear line, no stack
    // The first one never noticed: still serving, its data and its lock intact.
    const me = await fetch(`http://127.0.0.1:${first.api}/api/players/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(first.child.pid));

    // kill -9: the lock stays behind with a dead pid; the next start takes it over.
    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(true);
    const third = await local(dataDir);
    await ready(third);
    expect(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(third.child.pid));
    const again = await fetch(`http://127.0.0.1:${third.api}/api/players/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await again.json()) as { player: { name: string } }).player.name).toBe('Keeper');
    // A clean stop leaves no lock.
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  }, 240_000);

  it('starters racing over a stale lock: exactly one takes it, the others name it', async () => {
    const dataDir = tmp();
    writeFileSync(path.join(dataDir, LOCK_FILE), `${await deadPid()}\n`);
    const racers = Array.from({ length: 4 }, () => run([holderEntry, dataDir]));
    procs.push(...racers);
    const lines = await Promise.all(racers.map((r) => waitFor(() => /^(locked|refused) \d+$/m.exec(r.out())?.[0], 60_000, 'a verdict')));
    const winners = racers.filter((_, i) => lines[i]!.startsWith('locked'));
    expect(winners, lines.join(', ')).toHaveLength(1);
    const pid = winners[0]!.child.pid!;
    for (const l of lines) expect([`locked ${pid}`, `refused ${pid}`]).toContain(l);
    expect(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(pid));
    winners[0]!.child.stdin!.end();
    expect(await winners[0]!.exited).toBe(0);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  }, 90_000);

  it('a lock this process holds is refused to itself until released; a garbage lock file is stale', () => {
    const dataDir = tmp();
    writeFileSync(path.join(dataDir, LOCK_FILE), 'not a pid');
    const release = lockDataDir(dataDir);
    expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);
    release();
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    lockDataDir(dataDir)();
  });
});
