import { describe, expect, it } from 'vitest';
import { AGENT_REPLY_GAP_MS, FLOOD_LINES, monkeyAnswers } from '../../src/games/commands/chat.js';
import { backends } from '../helpers/db.js';
import { guest, useFreshServer, type TestServer } from '../helpers/server.js';

/**
 * Issue 26, acceptance 6 (chat with manners): a per-player chat limit with a clear error,
 * a monkey that answers at most once per few seconds and never a flood, a word filter
 * that masks, and reports stored for moderators (rate-limited too). The limits here are
 * the defaults (5 lines per 10 s, 20 a minute); reports 3 an hour to keep the test short.
 */
const ENV = { CHAT_RATE_LIMIT_PER_10S: '5', CHAT_RATE_LIMIT_PER_MIN: '20', CHAT_REPORTS_PER_HOUR: '3' };
type Ev = { seq: number; kind: string; data: { playerId?: string; name?: string; text?: string } };

describe.each(backends())('chat manners ($name)', (backend) => {
  const t = useFreshServer(backend, { env: ENV });
  const chats = async (id: string) =>
    ((await t.s.req('GET', `/api/games/${id}/events`)).body.events as Ev[]).filter((e) => e.kind === 'chat');
  const say = (s: TestServer, id: string, token: string, text: string) => s.req('POST', `/api/games/${id}/chat`, { token, body: { text } });
  async function twoPeople() {
    const a = await guest(t.s, 'Ann');
    const b = await guest(t.s, 'Ben');
    const c = await t.s.req('POST', '/api/games', { token: a.token, body: { type: 'tictactoe', opponent: { kind: 'open' } } });
    await t.s.req('POST', `/api/games/${c.body.game.id}/join`, { token: b.token, body: {} });
    return { a, b, id: c.body.game.id as string };
  }
  it('a flood of 40 lines in 2 s from one player: 5 go through, the rest get 429 chat_rate_limited with a clear message; others still talk', async () => {
    const g = await twoPeople();
    const answers = [];
    const started = Date.now();
    for (let i = 0; i < 40; i++) {
      answers.push(await say(t.s, g.id, g.a.token, `spam ${i}`));
      await new Promise((r) => setTimeout(r, Math.max(0, started + (i + 1) * 50 - Date.now())));
    }
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(answers.filter((r) => r.status === 201)).toHaveLength(5);
    const refused = answers.filter((r) => r.status === 429);
    expect(refused).toHaveLength(35);
    expect(refused[0]!.body.error.code).toBe('chat_rate_limited');
    expect(refused[0]!.body.error.message).toMatch(/^slow down: you are sending chat messages too fast \(at most 5 chat messages in 10 seconds\); try again in \d+ s$/);
    expect(Number(refused[0]!.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused[0]!.body.error.details.retryAfter).toBe(Number(refused[0]!.headers['retry-after']));
    // The other player is not limited by Ann's flood; nothing refused was stored.
    expect((await say(t.s, g.id, g.b.token, 'calm down')).status).toBe(201);
    expect((await chats(g.id)).map((e) => e.data.text)).toEqual(['spam 0', 'spam 1', 'spam 2', 'spam 3', 'spam 4', 'calm down']);
  }, 30_000);

  it('the rule the plan asks', () => {
    expect(monkeyAnswers({ sinceReplyMs: null, recentLines: 0 })).toBe(true);
    expect(monkeyAnswers({ sinceReplyMs: AGENT_REPLY_GAP_MS - 1, recentLines: 0 })).toBe(false);
    expect(monkeyAnswers({ sinceReplyMs: AGENT_REPLY_GAP_MS, recentLines: FLOOD_LINES - 2 })).toBe(true);
    expect(monkeyAnswers({ sinceReplyMs: 60_000, recentLines: FLOOD_LINES - 1 })).toBe(false);
  });

  it('the word filter masks a word and posts the line (never refuses it); innocent words pass', async () => {
    const g = await twoPeople();
    expect((await say(t.s, g.id, g.a.token, 'you are a fucking idiot, that was shit')).status).toBe(201);
    expect((await say(t.s, g.id, g.b.token, 'Scunthorpe assassin classic')).status).toBe(201);
    expect((await chats(g.id)).map((e) => e.data.text)).toEqual(['you are a f***ing idiot, that was s***', 'Scunthorpe assassin classic']);
  });

  it('a report is stored with the line; again answers the first report; yourself or a silent player are refused; reports are limited', async () => {
    const g = await twoPeople();
    const line = await say(t.s, g.id, g.b.token, 'you play like a banana');
    const report = (body: object, token = g.a.token) => t.s.req('POST', `/api/games/${g.id}/reports`, { token, body });
    const r1 = await report({ playerId: g.b.id, seq: line.body.seq, reason: 'rude' });
    expect(r1.status, JSON.stringify(r1.body)).toBe(201);
    const stored = await t.tdb.db.query<{ id: string; reporter_id: string; reported_id: string; seq: number; text: string; reason: string }>(
      'SELECT id, reporter_id, reported_id, seq, text, reason FROM chat_reports WHERE game_id = $1', [g.id]);
    expect(stored.rows).toEqual([{ id: r1.body.report.id, reporter_id: g.a.id, reported_id: g.b.id, seq: line.body.seq, text: 'you play like a banana', reason: 'rude' }]);
    expect((await report({ playerId: g.b.id })).body.report.id).toBe(r1.body.report.id);
    expect((await report({ playerId: g.a.id })).body.error).toMatchObject({ code: 'bad_request', message: 'you cannot report yourself' });
    expect((await report({ playerId: g.a.id }, g.b.token)).body.error).toMatchObject({ code: 'not_found', message: 'that player has said nothing in this game' });
    const limited = await report({ playerId: g.b.id });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('report_rate_limited');
    expect(limited.body.error.message).toMatch(/^slow down: you are reporting too fast \(at most 3 reports an hour\)/);
    expect((await t.tdb.db.query('SELECT 1 FROM chat_reports WHERE game_id = $1', [g.id])).rows).toHaveLength(1);
  });
});

describe.each(backends())("the monkey's manners ($name)", (backend) => {
  // No chat limit here (the test helpers' default): the monkey's own throttle alone.
  const t = useFreshServer(backend);
  const chats = async (id: string) =>
    ((await t.s.req('GET', `/api/games/${id}/events`)).body.events as Ev[]).filter((e) => e.kind === 'chat');
  const say = (s: TestServer, id: string, token: string, text: string) => s.req('POST', `/api/games/${id}/chat`, { token, body: { text } });
  /** Moves the game's chat back in time, as if `ms` had passed (the throttle reads the events' times). */
  const age = (id: string, ms: number) =>
    t.tdb.db.query(`UPDATE events SET at = at - make_interval(secs => $2) WHERE game_id = $1 AND kind = 'chat'`, [id, ms / 1000]);

  it('the monkey answers at most once per few seconds in a game, and never a flood', async () => {
    const me = await guest(t.s, 'Chatty');
    const c = await t.s.req('POST', '/api/games', { token: me.token, body: { type: 'connect4', opponent: { kind: 'agent', agentId: 'championchimp' } } });
    const id = c.body.game.id as string;
    expect((await say(t.s, id, me.token, 'hello monkey')).status).toBe(201);
    expect((await say(t.s, id, me.token, 'are you there?')).status).toBe(201);
    // One answer, to the first line: the second came within AGENT_REPLY_GAP_MS of it.
    expect((await chats(id)).map((e) => e.data.name)).toEqual(['Chatty', 'ChampionChimp', 'Chatty']);

    await age(id, 11_000); // a quiet while later, a single line is answered again
    expect((await say(t.s, id, me.token, 'hello again')).status).toBe(201);
    expect((await chats(id)).map((e) => e.data.name)).toEqual(['Chatty', 'ChampionChimp', 'Chatty', 'Chatty', 'ChampionChimp']);

    // A flood after another quiet while: only its first line can be answered, even past the reply gap.
    await age(id, 11_000);
    const flood = [];
    for (let i = 0; i < 5; i++) {
      flood.push((await say(t.s, id, me.token, `flood ${i}`)).status);
      if (i === 1) await age(id, AGENT_REPLY_GAP_MS + 1_000); // the reply gap has passed, the flood goes on
    }
    expect(flood).toEqual([201, 201, 201, 201, 201]);
    const after = (await chats(id)).slice(5).map((e) => `${e.data.name}: ${e.data.name === 'Chatty' ? e.data.text : '…'}`);
    expect(after).toEqual(['Chatty: flood 0', 'ChampionChimp: …', 'Chatty: flood 1', 'Chatty: flood 2', 'Chatty: flood 3', 'Chatty: flood 4']);
  }, 30_000);
});
