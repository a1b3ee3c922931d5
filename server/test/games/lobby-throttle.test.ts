import { describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.js';
import { guest, useFreshServer } from '../helpers/server.js';
import { useOutboxLog } from '../helpers/outbox-log.js';
import { LobbyThrottle, type LobbyRow } from '../../src/games/pipeline/lobby-throttle.js';

/** A stand-in for a game's summary: the throttle only holds and hands it back. */
type Summary = { n: number; over?: boolean };

/** The lobby hears of a game's plain moves at most once per interval; its status changes at once. */
describe('LobbyThrottle (fake clock)', () => {
  const setup = () => {
    let now = 1_000_000;
    const flushed: LobbyRow<Summary>[][] = [];
    const t = new LobbyThrottle<Summary>(1000, async (rows) => void flushed.push(rows), () => now);
    return { t, flushed, advance: (ms: number) => (now += ms) };
  };

  it('lets a game\'s first row through, holds the next within the interval (newest only), releases it when due', async () => {
    const { t, flushed, advance } = setup();
    expect(t.admit('g1', { n: 1 }, false)).toBe(true);
    t.written('g1');
    advance(100);
    expect(t.admit('g1', { n: 2 }, false)).toBe(false);
    advance(100);
    expect(t.admit('g1', { n: 3 }, false)).toBe(false);
    expect(t.due()).toEqual([]); // its interval is not over
    advance(800);
    expect(t.due()).toEqual([{ gameId: 'g1', data: { n: 3 } }]);
    expect(t.due()).toEqual([]); // taken once
    await t.close();
    expect(flushed).toEqual([]);
  });

  it('a change of status goes at once and makes the held row obsolete; rows that failed to write are held again', async () => {
    const { t, advance } = setup();
    t.admit('g1', { n: 1 }, false);
    t.written('g1');
    advance(10);
    expect(t.admit('g1', { n: 2 }, false)).toBe(false);
    expect(t.admit('g1', { n: 3, over: true }, true)).toBe(true);
    advance(2000);
    expect(t.due()).toEqual([]);
    t.written('g2');
    advance(10);
    t.admit('g2', { n: 7 }, false);
    advance(1000);
    const rows = t.due();
    expect(rows).toEqual([{ gameId: 'g2', data: { n: 7 } }]);
    t.giveBack(rows);
    expect(t.due()).toEqual(rows);
    await t.close();
  });

  it('writes what it still holds on close (a graceful shutdown loses no row)', async () => {
    const { t, flushed } = setup();
    t.admit('g1', { n: 1 }, false);
    t.written('g1');
    t.admit('g1', { n: 2 }, false);
    await t.close();
    expect(flushed).toEqual([[{ gameId: 'g1', data: { n: 2 } }]]);
  });
});

describe.each(backends())('lobby rows of moves ($name)', (backend) => {
  const t = useFreshServer(backend, { env: { LOBBY_MOVE_UPDATE_MS: '2000' } });
  useOutboxLog(() => t.tdb.db);

  const lobbyRows = async (id: string) => (await t.tdb.db.query<{ move_count: number; status: string }>(
    `SELECT (data->'game'->>'moveCount')::int AS move_count, data->'game'->>'status' AS status
     FROM outbox_log WHERE topic = 'lobby' AND data->'game'->>'id' = $1 ORDER BY id`, [id])).rows;

  it('quick moves give one lobby row, the newest follows within the interval, the ending goes at once', async () => {
    const a = await guest(t.s, 'A');
    const b = await guest(t.s, 'B');
    const id = (await t.s.req('POST', '/api/games', { token: a.token, body: { type: 'tictactoe', opponent: { kind: 'open' }, seat: 0 } })).body.game.id as string;
    expect((await t.s.req('POST', `/api/games/${id}/join`, { token: b.token })).status).toBe(200);
    const before = (await lobbyRows(id)).length; // created, joined
    const cells: [typeof a, number][] = [[a, 0], [b, 3], [a, 1], [b, 4]];
    let seq = 2;
    for (const [p, cell] of cells) {
      const r = await t.s.req('POST', `/api/games/${id}/moves`, { token: p.token, body: { move: { cell }, expectedSeq: seq } });
      expect(r.status).toBe(200);
      seq = r.body.game.seq;
    }
    // Four moves inside one interval: the first reached the lobby, the others are held.
    expect((await lobbyRows(id)).slice(before).map((r) => r.move_count)).toEqual([1]);
    // Within the interval (plus a margin), the newest summary follows: move count 4.
    const t0 = Date.now();
    while ((await lobbyRows(id)).length < before + 2 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
    expect((await lobbyRows(id)).slice(before).map((r) => r.move_count)).toEqual([1, 4]);
    // The winning move (a's third in a row) reaches the lobby at once, though inside a new interval.
    const win = await t.s.req('POST', `/api/games/${id}/moves`, { token: a.token, body: { move: { cell: 2 }, expectedSeq: seq } });
    expect(win.body.game.status).toBe('finished');
    expect((await lobbyRows(id)).slice(before).map((r) => `${r.move_count}:${r.status}`)).toEqual(['1:active', '4:active', '5:finished']);
  });
});
