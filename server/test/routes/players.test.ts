import { describe, expect, it } from 'vitest';
import { SUPPORTED_GAME_TYPES } from '@monkeytown/shared';
import { TROOP_RATINGS } from '@monkeytown/shared/ai';
import { seedAgents } from '../../src/players/service.js';
import { backends } from '../helpers/db.js';
import { guest, startTestServer, useFreshServer } from '../helpers/server.js';

describe.each(backends())('players and agents ($name)', (backend) => {
  const t = useFreshServer(backend);

  it('creates a guest with a token that authenticates /players/me', async () => {
    const r = await t.s.req('POST', '/api/players', { body: { name: '  Ada 🐒 ' } });
    expect(r.status).toBe(201);
    expect(r.body.player).toMatchObject({ name: 'Ada 🐒', kind: 'human' });
    expect(typeof r.body.token).toBe('string');
    const me = await t.s.req('GET', '/api/players/me', { token: r.body.token });
    expect(me.status).toBe(200);
    expect(me.body.player.id).toBe(r.body.player.id);
    expect(me.body.recentGames).toEqual([]);
    const pub = await t.s.req('GET', `/api/players/${r.body.player.id}`);
    expect(pub.status).toBe(200);
    expect(pub.body.player.name).toBe('Ada 🐒');
  });

  it('401 for a missing, malformed, forged or unknown-player token', async () => {
    expect((await t.s.req('GET', '/api/players/me')).status).toBe(401);
    const bad = await t.s.req('GET', '/api/players/me', { token: 'not-a-token-at-all' });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('unauthorized');
    const g = await guest(t.s);
    const [h, p] = g.token.split('.');
    const forged = await t.s.req('GET', '/api/players/me', { token: `${h}.${p}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA` });
    expect(forged.status).toBe(401);
    const other = await startTestServer(t.tdb.db, { env: { SESSION_SECRET: 'another-secret-another-secret-123' } });
    try {
      expect((await other.req('GET', '/api/players/me', { token: g.token })).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('refuses bad names with a 4xx JSON error and creates nothing', async () => {
    const before = await t.tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM players WHERE kind = 'human'");
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(25) }, { name: 'a\u0000b' }, { name: 'evil\u202Eeman' },
      { name: 42 }, { name: ['a'] }, { name: 'ok', admin: true }, null, 'name']) {
      const r = await t.s.req('POST', '/api/players', { body });
      expect(r.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body.error.code).toMatch(/validation_failed|bad_request/);
      expect(typeof r.body.error.message).toBe('string');
    }
    const after = await t.tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM players WHERE kind = 'human'");
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('lists the seven agents with ratings; 404 for an unknown player', async () => {
    const r = await t.s.req('GET', '/api/agents');
    expect(r.status).toBe(200);
    expect(r.body.agents.map((a: { id: string }) => a.id).sort()).toEqual([
      'championchimp', 'guardiangorilla', 'mentororangutan', 'speedygibbon', 'strategistape', 'trickstermonkey', 'wildcardlemur',
    ]);
    const champ = r.body.agents.find((a: { id: string }) => a.id === 'championchimp');
    expect(champ).toMatchObject({ name: 'ChampionChimp', emoji: '🏆', strength: 10 });
    // A rating for every game there is (a new game's included, with no code of its own).
    expect(champ.ratings.map((x: { type: string }) => x.type).sort()).toEqual([...SUPPORTED_GAME_TYPES].sort());
    expect((await t.s.req('GET', '/api/players/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await t.s.req('GET', '/api/players/not-a-uuid')).status).toBe(400);
  });

  it('leaderboard lists agents by rating', async () => {
    const r = await t.s.req('GET', '/api/leaderboard?type=connect4');
    expect(r.status).toBe(200);
    expect(r.body.entries[0].player.agentId).toBe('championchimp');
    expect(r.body.entries[0].rank).toBe(1);
    expect((await t.s.req('GET', '/api/leaderboard?type=go')).status).toBe(400);
  });

  it("shows each monkey's measured rating per game, and a re-seed moves only ratings with no games yet", async () => {
    const r = await t.s.req('GET', '/api/agents');
    for (const a of r.body.agents as { id: keyof typeof TROOP_RATINGS.chess; ratings: { type: keyof typeof TROOP_RATINGS; rating: number }[] }[]) {
      for (const x of a.ratings) expect(x.rating, `${a.id} ${x.type}`).toBe(Math.round(TROOP_RATINGS[x.type][a.id]));
    }
    // An older seed in the table (as before a calibration): one rating unplayed, one with games.
    const champ = "(SELECT id FROM players WHERE agent_id = 'championchimp')";
    await t.tdb.db.query(`UPDATE ratings SET rating = 1234 WHERE game_type = 'chess' AND player_id = ${champ}`);
    await t.tdb.db.query(`UPDATE ratings SET rating = 1234, games = 3, wins = 3 WHERE game_type = 'tictactoe' AND player_id = ${champ}`);
    await seedAgents(t.tdb.db);
    const rows = await t.tdb.db.query<{ game_type: string; rating: number }>(`SELECT game_type, rating FROM ratings WHERE player_id = ${champ}`);
    const by = Object.fromEntries(rows.rows.map((x) => [x.game_type, x.rating]));
    expect(by.chess).toBe(TROOP_RATINGS.chess.championchimp);
    expect(by.tictactoe).toBe(1234);
  });
});
