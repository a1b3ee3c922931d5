/**
 * Issue 25, acceptance 3: a database that stops answering (a TCP port that accepts and
 * never answers, as in a partition or a failover) makes requests fail within the
 * configured timeouts with the contract's 503 `unavailable`, makes readiness answer
 * 503, and both recover when the database answers again.
 *
 * Real parts: a real game-server replica (its main, move and relay pools opened from
 * the configuration, as in production) against real Postgres through a TCP proxy the
 * test switches between forwarding and blackhole (helpers/blackhole-proxy.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredUnderCi } from '@monkeytown/test-support';
import { startGameServer, type GameServer } from '../../src/game-server/start.js';
import { createPgDb } from '../../src/db/pg.js';
import { DEFAULT_POOL_SETTINGS } from '../../src/db/pool-settings.js';
import { createPostgresDatabase } from '../helpers/db.js';
import { BlackholeProxy } from '../helpers/blackhole-proxy.js';
import { RecordingBus, testConfig, waitFor } from '../helpers/server.js';

const PG_URL = requiredUnderCi('TEST_DATABASE_URL', 'the blackholed-database test (it needs real Postgres behind a proxy)');

/** Short timeouts so the test is quick; the defaults are in docs/api.md. */
const CONNECT_MS = 1000;
const STATEMENT_MS = 800;
const QUERY_MS = 1200;
/** What one statement may take at most (pool-settings.ts), plus scheduling slack for a busy 2-core machine. */
const BOUND_MS = CONNECT_MS + QUERY_MS + 600;

describe.skipIf(!PG_URL)('a blackholed database (real Postgres behind a switchable proxy)', () => {
  let database: { url: string; drop(): Promise<void> };
  let proxy: BlackholeProxy;
  let server: GameServer;
  let token = '';

  const req = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const started = Date.now();
    const r = await server.app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: r.statusCode, body: r.json() as Record<string, any>, ms: Date.now() - started };
  };

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const direct = new URL(database.url);
    proxy = new BlackholeProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const via = new URL(database.url);
    via.hostname = '127.0.0.1';
    via.port = String(await proxy.listen());
    server = await startGameServer({
      config: testConfig({
        DATABASE_URL: via.toString(),
        DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_MS),
        DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_MS),
        DATABASE_QUERY_TIMEOUT_MS: String(QUERY_MS),
      }),
      bus: new RecordingBus(),
      listen: false,
    });
  });

  afterAll(async () => {
    proxy?.forward();
    await server?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('serves while the database answers', async () => {
    const created = await req('POST', '/api/players', { name: 'Before' });
    expect(created.status).toBe(201);
    token = created.body.token;
    expect((await req('GET', '/health/ready')).status).toBe(200);
  });

  it('fails reads, writes and transactions within the timeouts with a JSON 503 while blackholed; readiness 503', async () => {
    proxy.blackhole();
    const [read, write, game, ready] = await Promise.all([
      req('GET', '/api/leaderboard?type=tictactoe'),
      req('POST', '/api/players', { name: 'During' }),
      req('POST', '/api/games', { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'guardiangorilla' } }),
      req('GET', '/health/ready'),
    ]);
    for (const r of [read, write, game]) {
      expect(r.status).toBe(503);
      expect(r.body).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
      expect(r.ms).toBeLessThanOrEqual(BOUND_MS);
    }
    expect(ready.status).toBe(503);
    expect(ready.body.checks.db).toBe(false);
    expect(ready.ms).toBeLessThanOrEqual(BOUND_MS);
    // Still down a moment later (nothing recovered by accident): new connections time out too.
    const again = await req('GET', '/api/players/me');
    expect(again.status).toBe(503);
    expect(again.ms).toBeLessThanOrEqual(BOUND_MS);
  });

  it('recovers when the database answers again: readiness 200, requests served', async () => {
    proxy.forward();
    const back = Date.now();
    await waitFor(async () => (await req('GET', '/health/ready')).status === 200, 10_000, 'readiness to recover');
    // Connections opened before the blackhole are dead for good: the pool gets rid of
    // each at its first use (query timeout) or when idle (idle timeout), so recovery
    // takes at most about one connect + query timeout.
    expect(Date.now() - back).toBeLessThanOrEqual(BOUND_MS + 1000);
    const me = await req('GET', '/api/players/me');
    expect(me.status).toBe(200);
    const created = await req('POST', '/api/players', { name: 'After' });
    expect(created.status).toBe(201);
    const game = await req('POST', '/api/games', { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'guardiangorilla' } });
    expect(game.status).toBe(201);
  });
});

describe.skipIf(!PG_URL)('pool settings reach Postgres (real Postgres)', () => {
  let database: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    database = await createPostgresDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('sets statement_timeout and idle_in_transaction_session_timeout on every connection', async () => {
    const db = createPgDb(database.url, { settings: { ...DEFAULT_POOL_SETTINGS, statementTimeoutMs: 1234, idleInTransactionTimeoutMs: 4321 } });
    try {
      const r = await db.query<{ s: string; i: string }>(
        "SELECT current_setting('statement_timeout') AS s, current_setting('idle_in_transaction_session_timeout') AS i",
      );
      expect(r.rows[0]).toEqual({ s: '1234ms', i: '4321ms' });
      // The server cancels a slower statement: a 503 `unavailable` (57014), the connection kept.
      await expect(db.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('retires a connection after its maximum lifetime (a new backend serves the next query)', async () => {
    const db = createPgDb(database.url, { max: 1, settings: { ...DEFAULT_POOL_SETTINGS, maxLifetimeSeconds: 1 } });
    try {
      const pid = async () => (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const first = await pid();
      expect(await pid()).toBe(first);
      await new Promise((r) => setTimeout(r, 1300));
      expect(await pid()).not.toBe(first);
    } finally {
      await db.close();
    }
  });

});
