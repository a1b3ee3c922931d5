import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClockState, GameResult } from '@monkeytown/shared';
import { createPgDb } from '../../src/db/pg.js';
import { requiredUnderCi } from '@monkeytown/test-support';
import { createPostgresDatabase } from '../helpers/db.js';
import { startTestServer, waitFor, type TestServer } from '../helpers/server.js';

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/bin/game-server.ts');

/**
 * Issue 12, acceptance 1: a game-server process SIGKILLed while a flag is pending (it
 * committed the move that started the clock, so its own timer was the one armed for the flag) → another
 * replica flags the game, once. Real processes need a real database: PGlite is one
 * process's (its in-process variant, a replica stopped after the join, is in
 * clocks.test.ts).
 */
describe.runIf(Boolean(requiredUnderCi('TEST_DATABASE_URL', 'the SIGKILLed replica flag test (real processes need Postgres)')))('a replica SIGKILLed with a flag pending (postgres)', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f().catch(() => {});
  });

  it('another replica flags the game: one timeout result, on time', async () => {
    const { url, drop } = await createPostgresDatabase();
    cleanup.push(drop);
    const db = createPgDb(url);
    cleanup.push(() => db.close());
    const survivor: TestServer = await startTestServer(db, { env: { FLAG_SWEEP_MS: '300' } });
    cleanup.push(() => survivor.close());

    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    cleanup.push(async () => child.kill('SIGKILL'));
    const port = await waitFor(() => Number(/"port":(\d+).*"msg":"game-server ready"/.exec(out)?.[1] ?? 0), 60_000, 'the child game-server');
    const call = async (method: string, url: string, token?: string, body?: unknown) => {
      const r = await fetch(`http://127.0.0.1:${port}${url}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return (await r.json()) as any;
    };
    const a = await call('POST', '/api/players', undefined, { name: 'A' });
    const b = await call('POST', '/api/players', undefined, { name: 'B' });
    const { game } = await call('POST', '/api/games', a.token, { type: 'tictactoe', opponent: { kind: 'open' }, seat: 0, clock: { initialSeconds: 5, incrementSeconds: 0 } });
    expect((await call('POST', `/api/games/${game.id}/join`, b.token)).game.status).toBe('active');
    // The clocks start after each side's first move: the child commits both, arming the flag.
    expect((await call('POST', `/api/games/${game.id}/moves`, a.token, { move: { cell: 0 }, expectedSeq: 2 })).seq).toBe(3);
    expect((await call('POST', `/api/games/${game.id}/moves`, b.token, { move: { cell: 4 }, expectedSeq: 3 })).seq).toBe(4);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const { clock_state: started } = (await db.query<{ clock_state: ClockState }>('SELECT clock_state FROM games WHERE id = $1', [game.id])).rows[0]!;
    const over = await waitFor(async () =>
      (await db.query<{ data: { result: GameResult }; at: Date }>(`SELECT data, at FROM events WHERE game_id = $1 AND kind = 'game.over'`, [game.id])).rows[0],
      15_000, 'the survivor flags the game');
    expect(over.data.result).toEqual({ winner: 1, reason: 'timeout' });
    const late = new Date(over.at).getTime() - (Date.parse(started.at) + 5000);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThanOrEqual(1000);
    await new Promise((r) => setTimeout(r, 700));
    const n = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE game_id = $1 AND kind = 'game.over'`, [game.id])).rows[0]!.n;
    expect(n).toBe(1);
  }, 120_000);
});
