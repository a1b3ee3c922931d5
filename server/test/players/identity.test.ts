import { describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.js';
import { guest, startTestServer, useFreshServer } from '../helpers/server.js';

/** Issue 15, identity: names that show nothing, the troop's names and look-alikes, duplicates, rename, sign-out. */
describe.each(backends())('names and sessions ($name)', (backend) => {
  const t = useFreshServer(backend);

  const create = (name: string) => t.s.req('POST', '/api/players', { body: { name } });
  const count = async () => Number((await t.tdb.db.query<{ n: string }>("SELECT count(*) AS n FROM players WHERE kind = 'human'")).rows[0]!.n);

  it('refuses names of invisible characters (400 validation_failed) and creates nothing', async () => {
    const before = await count();
    for (const name of ['\u200B', '\u3164', '\u00AD', '\u3164\u3164', 'Ada\u200B']) {
      const r = await create(name);
      expect(r.status, JSON.stringify(name)).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
    }
    expect(await count()).toBe(before);
  });

  it('stores names in NFC', async () => {
    const r = await create('Zoe\u0301');
    expect(r.status).toBe(201);
    expect(r.body.player.name).toBe('Zo\u00e9');
  });

  it('refuses the troop’s names and their look-alikes (409 name_unavailable)', async () => {
    const before = await count();
    const lookalikes = [
      'ChampionChimp', 'championchimp', 'CHAMPIONCHIMP', 'Champion Chimp', 'champion_chimp',
      'Ch\u0430mpionChimp', // Cyrillic а
      'Champi\u03bfnChimp', // Greek ο
      'Champi0nChimp', // zero for o
      'ChampionChirnp', // rn for m
      '\uff23\uff48\uff41\uff4d\uff50\uff49\uff4f\uff4e\uff23\uff48\uff49\uff4d\uff50', // fullwidth
      'MentorOrangutan', 'speedygibbon', 'WiIdcardLemur' /* capital I for l */, 'Monkeytown',
    ];
    for (const name of lookalikes) {
      const r = await create(name);
      expect(r.status, name).toBe(409);
      expect(r.body.error.code).toBe('name_unavailable');
    }
    expect(await count()).toBe(before);
    expect((await create('Champion of Chimps')).status).toBe(201); // different enough
  });

  it('a name shown for another recent guest gets a tag from the new guest’s id', async () => {
    const a = await create('Grace');
    const b = await create('grace'); // same name, other case
    const c = await create('Gr\u0430ce'); // same name, Cyrillic а
    expect(a.body.player.name).toBe('Grace');
    expect(b.body.player.name).toBe(`grace #${b.body.player.id.replace(/-/g, '').slice(0, 4).toUpperCase()}`);
    expect(c.body.player.name).toMatch(/^Gr\u0430ce #[0-9A-F]{4}$/);
    const names = new Set([a, b, c].map((r) => r.body.player.name.toLowerCase()));
    expect(names.size).toBe(3);
  });

  it('renames (PATCH /players/me) under the same rules; games show the new name', async () => {
    const g = await guest(t.s, 'Linus');
    const game = await t.s.req('POST', '/api/games', { token: g.token, body: { type: 'tictactoe', opponent: { kind: 'open' } } });
    const r = await t.s.req('PATCH', '/api/players/me', { token: g.token, body: { name: 'Ken' } });
    expect(r.status).toBe(200);
    expect(r.body.player).toMatchObject({ id: g.id, name: 'Ken' });
    const snap = await t.s.req('GET', `/api/games/${game.body.game.id}`);
    expect(snap.body.game.players.find((p: { playerId: string }) => p.playerId === g.id).name).toBe('Ken');
    expect((await t.s.req('PATCH', '/api/players/me', { token: g.token, body: { name: 'GuardianGorilla' } })).body.error.code).toBe('name_unavailable');
    expect((await t.s.req('PATCH', '/api/players/me', { token: g.token, body: { name: '\u3164' } })).status).toBe(400);
    expect((await t.s.req('PATCH', '/api/players/me', { body: { name: 'Nobody' } })).status).toBe(401);
    // Renaming to your own name keeps it bare (no tag against yourself).
    expect((await t.s.req('PATCH', '/api/players/me', { token: g.token, body: { name: 'Ken' } })).body.player.name).toBe('Ken');
  });

  it('sign-out revokes the token at once, on every replica, though each had verified it before', async () => {
    const other = await startTestServer(t.tdb.db); // a second replica on the same database
    try {
      const g = await guest(t.s, 'Leaving');
      expect((await t.s.req('GET', '/api/players/me', { token: g.token })).status).toBe(200);
      expect((await other.req('GET', '/api/players/me', { token: g.token })).status).toBe(200); // cached there now
      const out = await t.s.req('POST', '/api/players/me/sign-out', { token: g.token, body: {} });
      expect(out.status).toBe(200);
      expect(out.body).toEqual({ signedOut: true });
      for (const replica of [t.s, other]) {
        const r = await replica.req('GET', '/api/players/me', { token: g.token });
        expect(r.status).toBe(401);
        expect(r.body.error.code).toBe('unauthorized');
        expect((await replica.req('POST', '/api/games', { token: g.token, body: { type: 'tictactoe', opponent: { kind: 'open' } } })).status).toBe(401);
      }
      // The new identity is a new guest with a token that works.
      const fresh = await guest(t.s, 'Arriving');
      expect((await other.req('GET', '/api/players/me', { token: fresh.token })).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('a signed-out token writes nothing to its games: every command is refused 401 by the pipeline', async () => {
    const g = await guest(t.s, 'Quitter');
    const created = await t.s.req('POST', '/api/games', { token: g.token, body: { type: 'chess', opponent: { kind: 'agent', agentId: 'guardiangorilla' }, seat: 0 } });
    expect(created.status).toBe(201);
    const id = created.body.game.id as string;
    expect((await t.s.req('POST', '/api/players/me/sign-out', { token: g.token, body: {} })).status).toBe(200);
    const before = (await t.s.req('GET', `/api/games/${id}`)).body.game;
    const writes: [string, unknown][] = [
      [`/api/games/${id}/chat`, { text: 'still here?' }],
      [`/api/games/${id}/resign`, {}],
      [`/api/games/${id}/offers`, { offer: 'draw', action: 'offer', expectedSeq: before.seq }],
      [`/api/games/${id}/abort`, { expectedSeq: before.seq }],
      [`/api/games/${id}/claim`, { outcome: 'win', expectedSeq: before.seq }],
      [`/api/games/${id}/moves`, { move: { uci: 'e2e4' }, expectedSeq: before.seq }],
    ];
    for (const [path, body] of writes) {
      const r = await t.s.req('POST', path, { token: g.token, body });
      expect(r.status, path).toBe(401);
      expect(r.body.error.code, path).toBe('unauthorized');
    }
    const after = (await t.s.req('GET', `/api/games/${id}`)).body.game;
    expect(after.seq).toBe(before.seq);
    expect(after.status).toBe(before.status);
  });
});
