import { describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.js';
import { guest, useFreshServer } from '../helpers/server.js';

// Issue 12, ratings people trust: a game is rated only when both sides moved; each rated
// game stores its rating changes and every view of it returns them; provisional ratings
// (RD > 110) are marked and kept off the leaderboard.

interface RatingRow { rating: number; rd: number; games: number; wins: number; losses: number; draws: number }
interface Change { seat: 0 | 1; playerId: string; before: number; after: number }
type Player = { id: string; token: string };

describe.each(backends())('ratings ($name)', (backend) => {
  const t = useFreshServer(backend);

  const ratingRow = async (playerId: string, type = 'tictactoe'): Promise<RatingRow | undefined> =>
    (await t.tdb.db.query<RatingRow>(
      'SELECT rating, rd, games, wins, losses, draws FROM ratings WHERE player_id = $1 AND game_type = $2', [playerId, type],
    )).rows[0];
  const game = async (id: string) => (await t.s.req('GET', `/api/games/${id}`)).body.game;
  const gameOver = async (id: string) =>
    ((await t.s.req('GET', `/api/games/${id}/events`)).body.events as { kind: string; data: any }[]).find((e) => e.kind === 'game.over')!.data;

  /** A rated tic-tac-toe game between two guests: a (X, seat 0) created it, b joined. */
  async function humanGame(a: Player, b: Player, rated = true): Promise<string> {
    const c = await t.s.req('POST', '/api/games', { token: a.token, body: { type: 'tictactoe', opponent: { kind: 'open' }, seat: 0, rated } });
    expect(c.status).toBe(201);
    expect((await t.s.req('POST', `/api/games/${c.body.game.id}/join`, { token: b.token })).status).toBe(200);
    return c.body.game.id;
  }

  async function move(p: Player, id: string, cell: number) {
    const g = await game(id);
    const r = await t.s.req('POST', `/api/games/${id}/moves`, { token: p.token, body: { move: { cell }, expectedSeq: g.seq } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.game;
  }

  const resign = async (p: Player, id: string) => {
    const r = await t.s.req('POST', `/api/games/${id}/resign`, { token: p.token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.game;
  };

  /** x (seat 0) and o each move once (a rated game from here), then `quitter` resigns. */
  async function bothMovedThenResign(x: Player, o: Player, quitter: Player): Promise<{ id: string; end: any }> {
    const id = await humanGame(x, o);
    await move(x, id, 4);
    await move(o, id, 0);
    return { id, end: await resign(quitter, id) };
  }

  it('resigning against an agent before any move is unrated: ratings stay as they were (not 1500 → 1338)', async () => {
    const me = await guest(t.s, 'Quitter');
    const c = await t.s.req('POST', '/api/games', { token: me.token, body: { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'trickstermonkey' }, seat: 0 } });
    expect(c.status).toBe(201);
    expect(c.body.game.rated).toBe(true);
    const agent = c.body.game.players.find((p: { seat: number }) => p.seat === 1).playerId as string;
    const agentBefore = await ratingRow(agent);
    const end = await resign(me, c.body.game.id);
    expect(end.result).toMatchObject({ winner: 1, reason: 'resign' });
    expect(end.moveCount).toBe(0);
    expect(end.ratingChanges).toBeNull();
    expect(await ratingRow(me.id)).toMatchObject({ rating: 1500, rd: 350, games: 0, losses: 0 });
    expect(await ratingRow(agent)).toEqual(agentBefore);
    expect(await gameOver(c.body.game.id)).not.toHaveProperty('ratings');
    expect((await game(c.body.game.id)).ratingChanges).toBeNull();
  });

  it('after one move (only one side moved), resigning by either side is unrated too', async () => {
    for (const who of [0, 1] as const) {
      const a = await guest(t.s, `One-a${who}`);
      const b = await guest(t.s, `One-b${who}`);
      const id = await humanGame(a, b);
      await move(a, id, 4);
      const end = await resign(who === 0 ? a : b, id);
      expect(end).toMatchObject({ status: 'finished', moveCount: 1, ratingChanges: null });
      expect(end.result.reason).toBe('resign');
      for (const p of [a, b]) expect(await ratingRow(p.id)).toMatchObject({ rating: 1500, rd: 350, games: 0 });
      expect(await gameOver(id)).not.toHaveProperty('ratings');
    }
  });

  it('a resignation after both sides moved is rated: changes stored and returned by the game, the lobby and the player page', async () => {
    const a = await guest(t.s, 'Rated-A');
    const b = await guest(t.s, 'Rated-B');
    const { id, end } = await bothMovedThenResign(a, b, b);
    const expected: Change[] = [
      { seat: 0, playerId: a.id, before: 1500, after: 1662 },
      { seat: 1, playerId: b.id, before: 1500, after: 1338 },
    ];
    expect(end.ratingChanges).toEqual(expected);
    expect(end.players.map((p: { rating: number }) => p.rating)).toEqual([1662, 1338]);
    expect((await gameOver(id)).ratings).toEqual(expected);
    expect((await game(id)).ratingChanges).toEqual(expected);
    const lobby = (await t.s.req('GET', '/api/games?status=finished&type=tictactoe&limit=100')).body.games as { id: string; ratingChanges: unknown }[];
    expect(lobby.find((g) => g.id === id)?.ratingChanges).toEqual(expected);
    const page = (await t.s.req('GET', `/api/players/${b.id}`)).body;
    expect(page.recentGames.find((g: { id: string }) => g.id === id).ratingChanges).toEqual(expected);
    expect(page.ratings).toEqual([expect.objectContaining({ type: 'tictactoe', rating: 1338, games: 1, losses: 1, provisional: true })]);
    const stored = await t.tdb.db.query<{ rating_changes: unknown }>('SELECT rating_changes FROM games WHERE id = $1', [id]);
    expect(stored.rows[0]!.rating_changes).toEqual(expected);
  });

  it('a game won by a move (the batched move path) stores its changes and says which rule decided it', async () => {
    const a = await guest(t.s, 'Line-A');
    const b = await guest(t.s, 'Line-B');
    const id = await humanGame(a, b);
    for (const [p, cell] of [[a, 0], [b, 3], [a, 1], [b, 4]] as const) await move(p, id, cell);
    const end = await move(a, id, 2);
    expect(end.result).toEqual({ winner: 0, reason: 'win', detail: 'three in a row', line: [0, 1, 2] });
    expect(end.ratingChanges).toEqual([
      { seat: 0, playerId: a.id, before: 1500, after: 1662 },
      { seat: 1, playerId: b.id, before: 1500, after: 1338 },
    ]);
    expect((await game(id)).ratingChanges).toEqual(end.ratingChanges);
    expect((await gameOver(id)).ratings).toEqual(end.ratingChanges);
    expect(await ratingRow(a.id)).toMatchObject({ games: 1, wins: 1 });
  });

  it('an unrated game never changes ratings, however it ends', async () => {
    const a = await guest(t.s, 'Casual-A');
    const b = await guest(t.s, 'Casual-B');
    const id = await humanGame(a, b, false);
    for (const [p, cell] of [[a, 0], [b, 3], [a, 1], [b, 4]] as const) await move(p, id, cell);
    const end = await move(a, id, 2);
    expect(end.result.detail).toBe('three in a row');
    expect(end.ratingChanges).toBeNull();
    for (const p of [a, b]) expect(await ratingRow(p.id)).toMatchObject({ rating: 1500, games: 0 });
  });

  it('provisional (RD > 110) in seats and ratings; the leaderboard lists established ratings only, ranked among themselves', async () => {
    const board = async () => (await t.s.req('GET', '/api/leaderboard?type=tictactoe&limit=100')).body.entries as
      { rank: number; player: { id: string; kind: string }; rating: { rating: number; provisional: boolean; deviation: number } }[];
    // Agents start established; a newcomer with one lucky win is provisional and not listed.
    const start = await board();
    expect(start.length).toBeGreaterThan(0);
    for (const e of start) expect(e.rating.provisional).toBe(false);
    expect(start.map((e) => e.rank)).toEqual(start.map((_, i) => i + 1));
    const a = await guest(t.s, 'Lucky');
    const b = await guest(t.s, 'Unlucky');
    const { id, end } = await bothMovedThenResign(a, b, b);
    expect(end.players.map((p: { provisional: boolean }) => p.provisional)).toEqual([true, true]);
    expect((await t.s.req('GET', `/api/players/${a.id}`)).body.ratings[0]).toMatchObject({ rating: 1662, provisional: true });
    const after = await board();
    expect(after.map((e) => e.player.id)).not.toContain(a.id);
    expect(after.map((e) => e.player.id)).toEqual(start.map((e) => e.player.id));
    // Once the deviation is at most 110 the rating is established: marked so, and ranked.
    await t.tdb.db.query("UPDATE ratings SET rd = 110 WHERE player_id = $1 AND game_type = 'tictactoe'", [a.id]);
    expect((await game(id)).players[0].provisional).toBe(false);
    expect((await t.s.req('GET', `/api/players/${a.id}`)).body.ratings[0]).toMatchObject({ provisional: false, deviation: 110 });
    const listed = await board();
    const mine = listed.find((e) => e.player.id === a.id)!;
    expect(mine.rating).toMatchObject({ rating: 1662, provisional: false });
    expect(listed.map((e) => e.rank)).toEqual(listed.map((_, i) => i + 1));
    expect(mine.rank).toBe(listed.filter((e) => e.rating.rating > 1662).length + 1);
  });

  it('the provisional marker goes once enough games were played (14 between two newcomers)', async () => {
    const a = await guest(t.s, 'Regular-A');
    const b = await guest(t.s, 'Regular-B');
    const seen: boolean[] = [];
    for (let i = 0; i < 14; i++) {
      // Alternate the colours and the loser; both sides move before the resignation.
      const [x, o] = i % 2 ? [b, a] : [a, b];
      const { end } = await bothMovedThenResign(x, o, i % 4 < 2 ? x : o);
      seen.push(end.players.find((p: { playerId: string }) => p.playerId === a.id).provisional);
    }
    // Provisional for the first 13 games, established after the 14th (Glicko-2 RD 350 → ≤ 110).
    expect(seen).toEqual([...Array(13).fill(true), false]);
    const row = await ratingRow(a.id);
    expect(row).toMatchObject({ games: 14 });
    expect(row!.rd).toBeLessThanOrEqual(110);
    expect((await t.s.req('GET', '/api/leaderboard?type=tictactoe&limit=100')).body.entries.map((e: { player: { id: string } }) => e.player.id)).toContain(a.id);
  });
});
