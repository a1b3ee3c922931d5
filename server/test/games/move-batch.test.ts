import { describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.js';
import { useReplicas } from '../helpers/replicas.js';
import { guest } from '../helpers/server.js';
import { loadGameRow, seatOf, toSnapshot, toSummary, type GameRow } from '../../src/games/snapshot.js';
import { move } from '../../src/games/commands/move.js';
import { writeCommands } from '../../src/games/pipeline/write.js';
import { DEFAULT_CLOCK_RULES, type ClockRules } from '../../src/games/clock/clock.js';
import { ApiError, type Move } from '@monkeytown/shared';

/** The move command's pure plan (commands/move.ts), as the pipeline calls it once its checks passed. */
const planMove = (row: GameRow, playerId: string, mv: Move, expectedSeq: number, reason: string | null, now: Date, clocks: ClockRules) =>
  move.plan(row, { kind: 'move', move: mv, expectedSeq, reason }, { now, clocks, seat: seatOf(row, playerId), playerId, inputs: undefined });

/** Group commit (games/pipeline/*): the per-game seq check inside one batch, stale caches, Idempotency-Key fingerprints. */
describe.each(backends())('move batches ($name)', (backend) => {
  const t = useReplicas(backend);

  /** A tic-tac-toe game between two new guests, joined: seq 2, seat 0 (A) to move. */
  async function game() {
    const a = await guest(t.s1, 'A');
    const b = await guest(t.s1, 'B');
    const id = (await t.s1.req('POST', '/api/games', { token: a.token, body: { type: 'tictactoe', opponent: { kind: 'open' }, seat: 0 } })).body.game.id as string;
    expect((await t.s1.req('POST', `/api/games/${id}/join`, { token: b.token })).status).toBe(200);
    return { a, b, id };
  }
  const count = async (table: string, id: string) =>
    (await t.tdb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE game_id = $1`, [id])).rows[0]!.n;

  it('one statement for several games: the move whose seq check fails writes nothing, the others commit', async () => {
    const games = [await game(), await game(), await game()];
    const rows = await Promise.all(games.map((g) => loadGameRow(t.tdb.db, g.id)));
    const items = rows.map((row, i) => {
      const plan = planMove(row!, games[i]!.a.id, { cell: 4 }, 2, null, new Date(), DEFAULT_CLOCK_RULES);
      return { plan, playerId: games[i]!.a.id, lobby: { game: toSummary(toSnapshot(plan.after)) } };
    });
    items[1]!.plan.before = { ...items[1]!.plan.before, seq: 1 }; // planned from a row the game has left
    const out = await writeCommands(t.tdb.db, items, new Date(), []);
    expect([...out.applied].sort()).toEqual([games[0]!.id, games[2]!.id].sort());
    expect(out.events.filter((e) => e.event.topic !== 'lobby').map((e) => e.event.topic).sort())
      .toEqual([`game:${games[0]!.id}`, `game:${games[2]!.id}`].sort());
    for (const [i, n] of [[0, 1], [1, 0], [2, 1]] as const) {
      expect(await count('moves', games[i]!.id)).toBe(n);
      expect(await count('events', games[i]!.id)).toBe(2 + n);
    }
    expect((await loadGameRow(t.tdb.db, games[1]!.id))!.seq).toBe(2);
  });

  it('a move whose token was signed out after it was verified: that move writes nothing and gets 401, the others in its batch commit', async () => {
    const [g1, g2, g3] = [await game(), await game(), await game()];
    // The move route verifies only the signature; the version is checked by the write. g2's A
    // signs out on the OTHER replica after its token was last used here.
    expect((await t.s2.req('POST', '/api/players/me/sign-out', { token: g2.a.token, body: {} })).status).toBe(200);
    const results = await Promise.allSettled([g1, g2, g3].map((g) =>
      t.s1.ctx.games.move(g.a.id, g.id, { cell: 4 }, 2, { tokenVersion: 0 })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const refused = (results[1] as PromiseRejectedResult).reason as ApiError;
    expect(refused.status).toBe(401);
    expect(refused.message).toMatch(/signed out/);
    expect([await count('moves', g1.id), await count('moves', g2.id), await count('moves', g3.id)]).toEqual([1, 0, 1]);
    expect((await loadGameRow(t.tdb.db, g2.id))!.seq).toBe(2);
    // Over HTTP too, on both replicas, and an Idempotency-Key replay of an earlier move is refused as well.
    const key = 'k-signed-out-replay';
    expect((await t.s1.req('POST', `/api/games/${g1.id}/moves`, { token: g1.b.token, headers: { 'idempotency-key': key }, body: { move: { cell: 0 }, expectedSeq: 3 } })).status).toBe(200);
    expect((await t.s1.req('POST', '/api/players/me/sign-out', { token: g1.b.token, body: {} })).status).toBe(200);
    for (const s of [t.s1, t.s2]) {
      const replay = await s.req('POST', `/api/games/${g1.id}/moves`, { token: g1.b.token, headers: { 'idempotency-key': key }, body: { move: { cell: 0 }, expectedSeq: 3 } });
      expect(replay.status).toBe(401);
      // Creating, or joining a game with no open seat: 401 too, before 409.
      expect((await s.req('POST', '/api/games', { token: g2.a.token, body: { type: 'tictactoe', opponent: { kind: 'open' } } })).status).toBe(401);
      expect((await s.req('POST', `/api/games/${g3.id}/join`, { token: g2.a.token })).status).toBe(401);
      // Its own game (the write's check), and a game it is not in (401 before 403).
      for (const id of [g2.id, g3.id]) {
        const r = await s.req('POST', `/api/games/${id}/moves`, { token: g2.a.token, body: { move: { cell: 0 }, expectedSeq: id === g2.id ? 2 : 3 } });
        expect(r.status).toBe(401);
        expect(r.body.error.code).toBe('unauthorized');
      }
    }
    expect(await count('moves', g1.id)).toBe(2);
  });

  it('a batch with a move planned from a stale cached row: that move gets 409 after a fresh read, the others commit', async () => {
    const [g1, g2, g3] = [await game(), await game(), await game()];
    // Replica 1 has every game cached at seq 2; replica 2 moves g3 on (1 move): replica 1's row is stale.
    for (const g of [g1, g2, g3]) expect((await t.s1.ctx.games.get(g.id)).seq).toBe(2);
    expect((await t.s2.req('POST', `/api/games/${g3.id}/moves`, { token: g3.a.token, body: { move: { cell: 0 }, expectedSeq: 2 } })).status).toBe(200);
    // The same moves at once (one batch): g3's B replies to a seq replica 1 has not seen… and g3's A
    // repeats a move from the old seq, which only the write's seq check can refuse.
    const results = await Promise.allSettled([
      t.s1.ctx.games.move(g1.a.id, g1.id, { cell: 4 }, 2),
      t.s1.ctx.games.move(g2.a.id, g2.id, { cell: 4 }, 2),
      t.s1.ctx.games.move(g3.a.id, g3.id, { cell: 4 }, 2),
    ]);
    expect(results[0]!.status).toBe('fulfilled');
    expect(results[1]!.status).toBe('fulfilled');
    const refused = results[2] as PromiseRejectedResult;
    expect(refused.status).toBe('rejected');
    expect(refused.reason).toBeInstanceOf(ApiError);
    expect((refused.reason as ApiError).status).toBe(409);
    expect(await count('moves', g1.id)).toBe(1);
    expect(await count('moves', g2.id)).toBe(1);
    expect(await count('moves', g3.id)).toBe(1); // only replica 2's
    // Replica 1 learned the fresh row: B's reply from seq 3 is accepted there.
    const r = await t.s1.req('POST', `/api/games/${g3.id}/moves`, { token: g3.b.token, body: { move: { cell: 8 }, expectedSeq: 3 } });
    expect(r.status).toBe(200);
    expect(r.body.seq).toBe(4);
  });

  it('Idempotency-Key reused with a different body → 422 idempotency_key_reused, nothing written; same body replays', async () => {
    const { a, id } = await game();
    const headers = { 'idempotency-key': 'fp-key-1' };
    const first = await t.s1.req('POST', `/api/games/${id}/moves`, { token: a.token, body: { move: { cell: 4 }, expectedSeq: 2 }, headers });
    expect(first.status).toBe(200);
    // Another replica, same key, another cell: refused, and the game is unchanged.
    const other = await t.s2.req('POST', `/api/games/${id}/moves`, { token: a.token, body: { move: { cell: 5 }, expectedSeq: 2 }, headers });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    // Same key on another game: also another request.
    const g2 = await game();
    const elsewhere = await t.s1.req('POST', `/api/games/${g2.id}/moves`, { token: a.token, body: { move: { cell: 4 }, expectedSeq: 2 }, headers });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.code).toBe('idempotency_key_reused');
    expect(await count('moves', g2.id)).toBe(0);
    // The same request again replays the first response, on either replica.
    const again = await t.s2.req('POST', `/api/games/${id}/moves`, { token: a.token, body: { expectedSeq: 2, move: { cell: 4 } }, headers });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await count('moves', id)).toBe(1);
  });
});
