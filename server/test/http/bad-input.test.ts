import { beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.js';
import { guest, useFreshServer, type Res, type TestServer } from '../helpers/server.js';

/** Every answer to junk is a 4xx {error:{code,message}} — never a 5xx, never HTML. */
function expectClientError(r: Res, what: string) {
  expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBeGreaterThanOrEqual(400);
  expect(r.status, what).toBeLessThan(500);
  expect(typeof r.body?.error?.code, what).toBe('string');
  expect(typeof r.body?.error?.message, what).toBe('string');
}

describe.each(backends())('bad input never 5xx ($name)', (backend) => {
  const t = useFreshServer(backend);
  let token: string;
  let gameId: string;
  beforeAll(async () => {
    token = (await guest(t.s)).token;
    gameId = (await t.s.req('POST', '/api/games', { token, body: { type: 'tictactoe', opponent: { kind: 'open' }, seat: 0 } })).body.game.id;
  });

  it('malformed JSON, wrong content types, empty bodies', async () => {
    const cases: [string, Parameters<TestServer['req']>[2]][] = [
      ['truncated JSON', { raw: '{"name": "x"', headers: { 'content-type': 'application/json' } }],
      ['not JSON', { raw: 'hello', headers: { 'content-type': 'application/json' } }],
      ['empty JSON body', { raw: '', headers: { 'content-type': 'application/json' } }],
      ['text/plain', { raw: 'name=x', headers: { 'content-type': 'text/plain' } }],
      ['form', { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
      ['proto poisoning', { raw: '{"__proto__":{"admin":true},"name":"x"}', headers: { 'content-type': 'application/json' } }],
      ['constructor poisoning', { raw: '{"constructor":{"prototype":{"x":1}},"name":"x"}', headers: { 'content-type': 'application/json' } }],
      ['huge number', { raw: '{"name": 1e400}', headers: { 'content-type': 'application/json' } }],
      ['deep nesting', { raw: `${'['.repeat(5000)}${']'.repeat(5000)}`, headers: { 'content-type': 'application/json' } }],
    ];
    for (const [what, opts] of cases) expectClientError(await t.s.req('POST', '/api/players', opts), what);
    const unsupported = await t.s.req('POST', '/api/players', { raw: '<name>x</name>', headers: { 'content-type': 'application/xml' } });
    expect(unsupported.status).toBe(415);
  });

  it('oversize bodies → 413', async () => {
    const r = await t.s.req('POST', '/api/players', { body: { name: 'x'.repeat(20_000) } });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
  });

  it('wrong types, unknown fields, huge and fractional numbers in moves', async () => {
    const url = `/api/games/${gameId}/moves`;
    const bodies: unknown[] = [
      {}, { move: { cell: 4 } }, { expectedSeq: 1 }, { move: { cell: '4' }, expectedSeq: 1 }, { move: { cell: 4.5 }, expectedSeq: 1 },
      { move: { cell: 9 }, expectedSeq: 1 }, { move: { cell: -1 }, expectedSeq: 1 }, { move: { cell: 1e308 }, expectedSeq: 1 },
      { move: { cell: 4 }, expectedSeq: 1e308 }, { move: { cell: 4 }, expectedSeq: -1 }, { move: { cell: 4 }, expectedSeq: '1' },
      { move: { cell: 4, extra: 1 }, expectedSeq: 1 }, { move: { cell: 4 }, expectedSeq: 1, hack: true }, { move: null, expectedSeq: 1 },
      { move: [], expectedSeq: 1 }, { move: { uci: 'zz' }, expectedSeq: 1 }, [1, 2, 3], 'move', 42, true,
    ];
    for (const body of bodies) expectClientError(await t.s.req('POST', url, { token, body }), JSON.stringify(body));
    expectClientError(await t.s.req('POST', url, { token, raw: '{"move":{"cell":4},"expectedSeq":99999999999999999999999}', headers: { 'content-type': 'application/json' } }), 'bignum');
    expect((await t.tdb.db.query('SELECT 1 FROM moves')).rowCount).toBe(0);
  });

  it('unicode junk in names and chat', async () => {
    const junk = ['\u202Eevil', 'a\u0007b', '\u0000', 'x\ny', '\uD800', '🐒'.repeat(30), '\t', '\u2066x\u2069'];
    for (const name of junk) expectClientError(await t.s.req('POST', '/api/players', { body: { name } }), JSON.stringify(name));
    for (const text of junk.filter((j) => !j.startsWith('🐒')).concat(['x'.repeat(281), '', '🐒'.repeat(281)])) {
      expectClientError(await t.s.req('POST', `/api/games/${gameId}/chat`, { token, body: { text } }), JSON.stringify(text));
    }
    // Fine unicode passes.
    expect((await t.s.req('POST', '/api/players', { body: { name: 'Zoë 🐵 李' } })).status).toBe(201);
    expect((await t.s.req('POST', `/api/games/${gameId}/chat`, { token, body: { text: 'ça va? 🍌 日本' } })).status).toBe(201);
  });

  it('bad path params, queries, unknown routes and methods', async () => {
    for (const [m, url] of [
      ['GET', '/api/games/123'], ['GET', "/api/games/'%20OR%201=1"], ['GET', '/api/games/%00'], ['POST', '/api/games/xyz/moves'],
      ['GET', '/api/games?limit=-5'], ['GET', '/api/games?limit=abc'], ['GET', '/api/games?type=poker'], ['GET', '/api/leaderboard?limit=1e9'],
      ['GET', `/api/games/${gameId}/events?after=abc`], ['GET', `/api/games/${gameId}/events?limit=100000`],
      ['GET', '/api/nope'], ['DELETE', `/api/games/${gameId}`], ['PUT', '/api/players'], ['GET', '/api/games?cursor=' + 'A'.repeat(300)],
    ] as const) {
      expectClientError(await t.s.req(m, url, { token }), `${m} ${url}`);
    }
  });

  it('creating games: bad opponents, agents and clocks', async () => {
    for (const body of [
      { type: 'tictactoe' }, { type: 'tictactoe', opponent: { kind: 'agent' } }, { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'kingkong' } },
      { type: 'tictactoe', opponent: { kind: 'human' } }, { type: 'tictactoe', opponent: { kind: 'open' }, seat: 2 },
      { type: 'tictactoe', opponent: { kind: 'open' }, clock: { initialSeconds: 1 } }, { type: 'tictactoe', opponent: { kind: 'open' }, rated: 'yes' },
    ]) {
      expectClientError(await t.s.req('POST', '/api/games', { token, body }), JSON.stringify(body));
    }
  });
});
