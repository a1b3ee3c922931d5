import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { vacuumOutboxPeriodically } from '../../src/db/pglite-vacuum.js';
import { pgliteBackend } from '../helpers/db.js';
import { guest, startTestServer, waitFor, type TestServer } from '../helpers/server.js';

// Embedded mode (PGlite) has no autovacuum, and every event's outbox row is deleted
// milliseconds after it was written (migration 012): without a VACUUM the outbox's
// pages only grow, and the relay's sweep reads through them on every pass. The
// game-server vacuums it on a timer there (db/pglite-vacuum.ts).

/** Heap pages of the outbox and its rows still unpublished. */
async function outbox(db: Db): Promise<{ pages: number; rows: number }> {
  const { rows } = await db.query<{ pages: number; rows: number }>(
    "SELECT pg_relation_size('outbox')::int / 8192 AS pages, (SELECT count(*)::int FROM outbox) AS rows");
  return rows[0]!;
}

/** `games` tic-tac-toe games played to a draw through the API: ~13 events (outbox rows) each, lobby included. */
async function play(s: TestServer, games: number): Promise<void> {
  const a = await guest(s, 'Vac A');
  const b = await guest(s, 'Vac B');
  const DRAW = [0, 1, 2, 4, 3, 5, 7, 6, 8];
  await Promise.all(Array.from({ length: games }, async () => {
    const created = await s.req('POST', '/api/games', { token: a.token, body: { type: 'tictactoe', opponent: { kind: 'open' }, rated: false, seat: 0 } });
    const id: string = created.body.game.id;
    let seq: number = (await s.req('POST', `/api/games/${id}/join`, { token: b.token })).body.game.seq;
    for (let m = 0; m < DRAW.length; m++) {
      const r = await s.req('POST', `/api/games/${id}/moves`, { token: (m % 2 ? b : a).token, body: { move: { cell: DRAW[m] }, expectedSeq: seq } });
      if (r.status !== 200) throw new Error(`move: ${r.status} ${JSON.stringify(r.body)}`);
      seq = r.body.game.seq;
    }
  }));
}

/** Plays 40 games on a fresh embedded server, waits until every row is published, then `settleMs`; the outbox then. */
async function afterGames(outboxVacuumMs: number, settleMs: number) {
  const t = await pgliteBackend.create();
  const s = await startTestServer(t.db, { outboxVacuumMs });
  try {
    await play(s, 40);
    await waitFor(async () => (await outbox(t.db)).rows === 0, 10_000, 'every outbox row published');
    await new Promise((r) => setTimeout(r, settleMs));
    return await outbox(t.db);
  } finally {
    await s.close();
    await t.drop();
  }
}

describe('embedded mode vacuums the outbox (PGlite has no autovacuum)', () => {
  it('without the vacuum the moves leave the outbox pages of dead rows; with it they are given back', async () => {
    // The control: the same games with the vacuum off (0) leave their dead rows' pages.
    const never = await afterGames(0, 600);
    expect(never.pages, 'dead rows kept without a vacuum').toBeGreaterThan(4);
    // The server's timer (every 200 ms here): the empty outbox is back to at most a page.
    const vacuumed = await afterGames(200, 600);
    expect(vacuumed.pages).toBeLessThanOrEqual(1);
  }, 120_000);

  it('a vacuum waits for a transaction in progress, never runs inside it', async () => {
    const t = await pgliteBackend.create();
    const v = vacuumOutboxPeriodically(t.db, { everyMs: 0 });
    try {
      const order: string[] = [];
      let vacuumed!: Promise<void>;
      await t.db.transaction(async (tx) => {
        await tx.query("INSERT INTO outbox (topic, seq, kind) VALUES ('lobby', 0, 'lobby.game')");
        vacuumed = v.run().then(() => void order.push('vacuum'));
        await new Promise((r) => setTimeout(r, 100));
        await tx.query('DELETE FROM outbox');
        order.push('commit');
      });
      await vacuumed;
      // Run inside the transaction it would have failed ("cannot run inside a transaction block").
      expect(order).toEqual(['commit', 'vacuum']);
      expect((await outbox(t.db)).pages).toBeLessThanOrEqual(1);
    } finally {
      await v.stop();
      await t.drop();
    }
  });
});
