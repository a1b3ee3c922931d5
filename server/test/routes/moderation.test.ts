import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { backends } from '../helpers/db.js';
import { guest, guestWithId, useFreshServer } from '../helpers/server.js';

/**
 * Issue 26: a moderator's view of chat reports. The players MODERATORS names see the open
 * reports (game, reporter, reported player, the line, when) and close them; anyone else
 * gets 403 `forbidden` and nothing changes.
 */
const MOD_ID = randomUUID();

describe.each(backends())('moderation of chat reports ($name)', (backend) => {
  const t = useFreshServer(backend, { env: { MODERATORS: `  ${MOD_ID.toUpperCase()} ,` } });

  async function reportedGame() {
    const ann = await guest(t.s, 'Ann');
    const ben = await guest(t.s, 'Ben');
    const c = await t.s.req('POST', '/api/games', { token: ann.token, body: { type: 'connect4', opponent: { kind: 'open' } } });
    const id = c.body.game.id as string;
    await t.s.req('POST', `/api/games/${id}/join`, { token: ben.token, body: {} });
    const said = await t.s.req('POST', `/api/games/${id}/chat`, { token: ben.token, body: { text: 'you are a fucking idiot' } });
    const r = await t.s.req('POST', `/api/games/${id}/reports`, { token: ann.token, body: { playerId: ben.id, seq: said.body.seq, reason: 'rude' } });
    expect(r.status).toBe(201);
    return { ann, ben, id, seq: said.body.seq as number, reportId: r.body.report.id as string };
  }

  it('a moderator sees the open report — game, reporter, reported player, the line, the time — and closes it once', async () => {
    const mod = await guestWithId(t.s, MOD_ID, 'Moderator Mo');
    const g = await reportedGame();
    const list = await t.s.req('GET', '/api/moderation/reports', { token: mod.token });
    expect(list.status).toBe(200);
    const mine = list.body.reports.filter((r: { game: { id: string } }) => r.game.id === g.id);
    expect(mine).toEqual([
      {
        id: g.reportId,
        game: { id: g.id, type: 'connect4' },
        reporter: { id: g.ann.id, name: 'Ann' },
        reported: { id: g.ben.id, name: 'Ben' },
        seq: g.seq,
        text: 'you are a f***ing idiot',
        reason: 'rude',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);

    const closed = await t.s.req('POST', `/api/moderation/reports/${g.reportId}/resolve`, { token: mod.token, body: { note: 'warned by mail' } });
    expect(closed.status).toBe(200);
    expect(closed.body.report).toMatchObject({ id: g.reportId, resolvedBy: { id: MOD_ID, name: 'Moderator Mo' }, note: 'warned by mail' });
    const after = await t.s.req('GET', '/api/moderation/reports', { token: mod.token });
    expect(after.body.reports.map((r: { id: string }) => r.id)).not.toContain(g.reportId);
    // Closing it again changes nothing: the first closing stands.
    const again = await t.s.req('POST', `/api/moderation/reports/${g.reportId}/resolve`, { token: mod.token, body: {} });
    expect(again.status).toBe(200);
    expect(again.body.report).toEqual(closed.body.report);

    const unknown = await t.s.req('POST', `/api/moderation/reports/${randomUUID()}/resolve`, { token: mod.token, body: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('anyone else gets 403 forbidden with a clear message, reading or closing, and the report stays open', async () => {
    const other = await guest(t.s, 'Not A Mod'); // a guest like any other
    const g = await reportedGame();
    for (const token of [g.ann.token, g.ben.token, other.token]) {
      const list = await t.s.req('GET', '/api/moderation/reports', { token });
      expect(list.status).toBe(403);
      expect(list.body).toEqual({ error: { code: 'forbidden', message: 'only moderators can see and close chat reports' } });
      const close = await t.s.req('POST', `/api/moderation/reports/${g.reportId}/resolve`, { token, body: {} });
      expect(close.status).toBe(403);
      expect(close.body.error.code).toBe('forbidden');
    }
    expect((await t.s.req('GET', '/api/moderation/reports')).status).toBe(401);
    const { rows } = await t.tdb.db.query<{ resolved_at: Date | null }>('SELECT resolved_at FROM chat_reports WHERE id = $1', [g.reportId]);
    expect(rows).toEqual([{ resolved_at: null }]);
  });
});

describe('MODERATORS', () => {
  it('lists player ids; anything else stops the start with a clear message', () => {
    const base = { NODE_ENV: 'test' };
    expect([...loadConfig({ ...base, MODERATORS: `${MOD_ID}, ${MOD_ID.toUpperCase()}` }).moderators]).toEqual([MOD_ID]);
    expect(loadConfig(base).moderators.size).toBe(0);
    expect(() => loadConfig({ ...base, MODERATORS: 'ChampionChimp' })).toThrow(/MODERATORS lists player ids/);
  });
});

