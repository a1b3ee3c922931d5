import { describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.js';
import { guest, useFreshServer } from '../helpers/server.js';

type Ev = { seq: number; kind: string; data: { playerId?: string; name?: string; text?: string } };

describe.each(backends())('the troop answers chat ($name)', (backend) => {
  const t = useFreshServer(backend);

  const chats = async (id: string) =>
    ((await t.s.req('GET', `/api/games/${id}/events`)).body.events as Ev[]).filter((e) => e.kind === 'chat');

  it('replies right after the line, in character, and after the game as a winner', async () => {
    const me = await guest(t.s, 'Chatty');
    const c = await t.s.req('POST', '/api/games', { token: me.token, body: { type: 'connect4', opponent: { kind: 'agent', agentId: 'championchimp' } } });
    const id = c.body.game.id as string;
    const said = await t.s.req('POST', `/api/games/${id}/chat`, { token: me.token, body: { text: 'hello monkey' } });
    expect(said.status).toBe(201);
    let lines = await chats(id);
    expect(lines.map((e) => e.data.name)).toEqual(['Chatty', 'ChampionChimp']);
    expect(lines[1]!.seq).toBe(said.body.seq + 1);
    expect(lines[1]!.data.text).toMatch(/^(Hello\. May the best primate win|Greetings, challenger)/);

    expect((await t.s.req('POST', `/api/games/${id}/resign`, { token: me.token, body: {} })).status).toBe(200);
    // A while later (the monkey answers at most once per few seconds: chat-manners.test.ts).
    await t.tdb.db.query(`UPDATE events SET at = at - interval '11 seconds' WHERE game_id = $1 AND kind = 'chat'`, [id]);
    await t.s.req('POST', `/api/games/${id}/chat`, { token: me.token, body: { text: 'gg' } });
    lines = await chats(id);
    expect(lines).toHaveLength(4);
    expect(lines[3]!.data.text).toMatch(/^(Good game\. I did calculate that\.|Well fought\. Again\?)$/);
  });

  it('stays quiet in a game between people', async () => {
    const a = await guest(t.s, 'Ann');
    const b = await guest(t.s, 'Ben');
    const c = await t.s.req('POST', '/api/games', { token: a.token, body: { type: 'tictactoe', opponent: { kind: 'open' } } });
    await t.s.req('POST', `/api/games/${c.body.game.id}/join`, { token: b.token, body: {} });
    await t.s.req('POST', `/api/games/${c.body.game.id}/chat`, { token: b.token, body: { text: 'hi' } });
    expect((await chats(c.body.game.id)).map((e) => e.data.name)).toEqual(['Ben']);
  });
});
