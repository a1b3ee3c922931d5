import { describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.js';
import { useReplicas } from '../helpers/replicas.js';
import { guest, waitFor } from '../helpers/server.js';

describe.each(backends())('concurrent submissions ($name)', (backend) => {
  const t = useReplicas(backend);

  async function openGame() {
    const a = await guest(t.s1, 'A');
    const b = await guest(t.s1, 'B');
    const id = (await t.s1.req('POST', '/api/games', { token: a.token, body: { type: 'connect4', opponent: { kind: 'open' }, seat: 0 } })).body.game.id as string;
    expect((await t.s2.req('POST', `/api/games/${id}/join`, { token: b.token })).status).toBe(200);
    return { a, b, id };
  }

  const countMoves = async (id: string) =>
    (await t.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM moves WHERE game_id = $1', [id])).rows[0]!.n;

  it('20 parallel identical moves → exactly one applied, the rest 409', async () => {
    const { a, id } = await openGame();
    const rs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? t.s1 : t.s2).req('POST', `/api/games/${id}/moves`, { token: a.token, body: { move: { column: 3 }, expectedSeq: 2 } })),
    );
    expect(rs.filter((r) => r.status === 200)).toHaveLength(1);
    expect(rs.filter((r) => r.status === 409).every((r) => r.body.error.code === 'stale_seq')).toBe(true);
    expect(rs.filter((r) => r.status === 409)).toHaveLength(19);
    expect(await countMoves(id)).toBe(1);
  });

  it('20 parallel moves with one Idempotency-Key → one move, 20 identical responses', async () => {
    const { a, id } = await openGame();
    const rs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? t.s1 : t.s2).req('POST', `/api/games/${id}/moves`, {
          token: a.token, body: { move: { column: 2 }, expectedSeq: 2 }, headers: { 'idempotency-key': 'same-key' },
        })),
    );
    expect(rs.map((r) => r.status)).toEqual(Array(20).fill(200));
    for (const r of rs) expect(r.body).toEqual(rs[0]!.body);
    expect(await countMoves(id)).toBe(1);
  });

  it('two replicas racing a whole game: exactly one move per sequence number', async () => {
    const { a, b, id } = await openGame();
    // Seat 0 plays columns 0,0,0,0 and seat 1 columns 1,1,1: seat 0 wins vertically on move 7.
    const plan: [typeof a, number][] = [[a, 0], [b, 1], [a, 0], [b, 1], [a, 0], [b, 1], [a, 0]];
    for (const [p, column] of plan) {
      const seq = (await t.s1.req('GET', `/api/games/${id}`)).body.game.seq as number;
      const rs = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? t.s1 : t.s2).req('POST', `/api/games/${id}/moves`, { token: p.token, body: { move: { column }, expectedSeq: seq } })),
      );
      expect(rs.filter((r) => r.status === 200)).toHaveLength(1);
    }
    const { rows } = await t.tdb.db.query<{ move_number: number; seq: number }>(
      'SELECT move_number, seq FROM moves WHERE game_id = $1 ORDER BY move_number', [id]);
    expect(rows.map((r) => r.move_number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(7);
    const ev = (await t.s2.req('GET', `/api/games/${id}/events`)).body.events as { seq: number; kind: string }[];
    expect(ev.map((e) => e.seq)).toEqual(ev.map((_, i) => i + 1));
    expect(ev.filter((e) => e.kind === 'move')).toHaveLength(7);
    expect(ev.at(-1)!.kind).toBe('game.over');
  });

  it('two replicas running AI turns: each agent turn is played exactly once', async () => {
    const me = await guest(t.s1, 'vs AI');
    const id = (await t.s1.req('POST', '/api/games', { token: me.token, body: { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'speedygibbon' }, seat: 1 } })).body.game.id as string;
    for (let turn = 0; turn < 5; turn++) {
      const g = await waitFor(async () => {
        const x = (await t.s2.req('GET', `/api/games/${id}`)).body.game;
        return x.status === 'finished' || x.turn === 1 ? x : null;
      }, 15_000, 'human turn');
      if (g.status === 'finished') break;
      // The human's move lands on alternating replicas; both replicas' sweepers are live.
      const r = await (turn % 2 ? t.s1 : t.s2).req('POST', `/api/games/${id}/moves`, { token: me.token, body: { move: g.legalMoves[0], expectedSeq: g.seq } });
      expect(r.status).toBe(200);
    }
    const g = await waitFor(async () => {
      const x = (await t.s1.req('GET', `/api/games/${id}`)).body.game;
      return x.status === 'finished' ? x : null;
    }, 15_000, 'game over');
    const { rows } = await t.tdb.db.query<{ move_number: number; seat: number }>(
      'SELECT move_number, seat FROM moves WHERE game_id = $1 ORDER BY move_number', [id]);
    expect(rows.map((r) => r.move_number)).toEqual(rows.map((_, i) => i + 1));
    expect(rows.map((r) => r.seat)).toEqual(rows.map((_, i) => (i % 2 === 0 ? 0 : 1)));
    expect(rows).toHaveLength(g.moveCount);
  });
});
