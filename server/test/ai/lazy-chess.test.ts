import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chess } from 'chess.js';
import { createPostgresDatabase, hasPostgres } from '../helpers/db.js';

// Issue 11, "the engine loads lazily": the real entry point in a process of its own (this
// file's setup loads the engines in the test process, not there) starts and serves the
// lobby without chess.js; the first move loads it, and chess plays on as before.
const here = path.dirname(fileURLToPath(import.meta.url));
const entry = path.resolve(here, '../../src/bin/game-server.ts');
const hook = path.resolve(here, '../helpers/report-chess-load.mjs');
const LOADED = 'module loaded: chess.js';

describe('chess.js loads on the first move, not at start', () => {
  let out = '';
  let base = '';
  let stop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const pg = hasPostgres() ? await createPostgresDatabase() : null;
    const dataDir = pg ? null : mkdtempSync(path.join(os.tmpdir(), 'mt-lazy-chess-'));
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', hook, entry], {
      env: {
        PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1',
        LOG_LEVEL: 'info', AI_THINK_DELAY: '0', AI_WORKERS: '1',
        ...(pg ? { DATABASE_URL: pg.url } : { DATA_DIR: dataDir! }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise((r) => child.on('exit', r));
    stop = async () => {
      child.kill('SIGTERM');
      await exited;
      await pg?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    };
    for (let i = 0; i < 600 && !base; i++) {
      const m = /"port":(\d+).*"msg":"game-server ready"/.exec(out);
      if (m) base = `http://127.0.0.1:${m[1]}`;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(base, out).not.toBe('');
  }, 90_000);
  afterAll(() => stop());

  const call = async (method: string, url: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(base + url, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
  };

  it('starts, lists and creates a chess game without it; the first move loads it; the agent replies; PGN works', async () => {
    expect((await call('GET', '/health/ready')).status).toBe(200);
    const { body: me } = await call('POST', '/api/players', undefined, { name: 'lazy' });
    const created = await call('POST', '/api/games', me.token, { type: 'chess', opponent: { kind: 'agent', agentId: 'speedygibbon' }, seat: 0 });
    expect(created.status).toBe(201);
    const id = created.body.game.id;
    expect(created.body.game.legalMoves).toHaveLength(20); // the fast board, no chess.js
    expect((await call('GET', '/api/games')).status).toBe(200);
    expect(out).not.toContain(LOADED);

    const moved = await call('POST', `/api/games/${id}/moves`, me.token, { move: { uci: 'e2e4' }, expectedSeq: created.body.game.seq });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.game.state.san).toEqual(['e4']);
    expect(out).toContain(LOADED);

    let game = moved.body.game;
    for (let i = 0; i < 100 && game.moveCount < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      game = (await call('GET', `/api/games/${id}`)).body.game;
    }
    expect(game.moveCount, out).toBe(2);
    const pgn = await call('GET', `/api/games/${id}/pgn`);
    expect(pgn.status).toBe(200);
    const replay = new Chess();
    replay.loadPgn(pgn.body);
    expect(replay.fen()).toBe(game.state.fen);
  }, 90_000);
});
