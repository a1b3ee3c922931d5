import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { createPgDb } from '../../src/db/pg.js';
import { createPostgresDatabase, hasPostgres } from '../helpers/db.js';
import { startTestServer } from '../helpers/server.js';

describe('graceful shutdown', () => {
  it.runIf(hasPostgres())('close() lets an in-flight move finish, refuses new work, then returns', async () => {
    const { url, drop } = await createPostgresDatabase();
    const db = createPgDb(url);
    const s = await startTestServer(db, { listen: true });
    const locker = new pg.Client({ connectionString: url });
    try {
      const base = `http://127.0.0.1:${s.port}`;
      const post = (p: string, body: unknown, token?: string) =>
        fetch(`${base}${p}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        });
      const a = (await (await post('/api/players', { name: 'A' })).json()) as { token: string };
      const b = (await (await post('/api/players', { name: 'B' })).json()) as { token: string };
      const g = (await (await post('/api/games', { type: 'tictactoe', opponent: { kind: 'open' }, seat: 0 }, a.token)).json()) as { game: { id: string } };
      await post(`/api/games/${g.game.id}/join`, {}, b.token);

      // Hold the game row so the move is still running when shutdown begins.
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM games WHERE id = $1 FOR UPDATE', [g.game.id]);
      const inflight = post(`/api/games/${g.game.id}/moves`, { move: { cell: 4 }, expectedSeq: 2 }, a.token);
      await new Promise((r) => setTimeout(r, 200));
      let closed = false;
      const closing = s.close().then(() => (closed = true));
      await new Promise((r) => setTimeout(r, 200));
      expect(closed).toBe(false); // still draining
      const late = await fetch(`${base}/health/live`).then((r) => r.status, () => 'refused');
      expect([503, 'refused']).toContain(late);
      await locker.query('COMMIT');
      const res = await inflight;
      expect(res.status).toBe(200);
      await closing;
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
      expect(rows[0]!.n).toBe(0); // flushed on the way out
    } finally {
      await locker.end().catch(() => {});
      await s.close();
      await db.close();
      await drop();
    }
  });
});
