import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { pgliteBackend } from '../helpers/db.js';
import { guest, useFreshServer } from '../helpers/server.js';

/** Property: whatever a client sends, the answer is never a 5xx, and errors have the error shape. */
describe('fuzzed requests never produce a 5xx', () => {
  const t = useFreshServer(pgliteBackend);
  let token: string;
  let gameId: string;
  beforeAll(async () => {
    token = (await guest(t.s)).token;
    gameId = (await t.s.req('POST', '/api/games', { token, body: { type: 'connect4', opponent: { kind: 'open' } } })).body.game.id;
  });

  const check = (r: { status: number; body: any }) => {
    expect(r.status).toBeLessThan(500);
    if (r.status >= 400) expect(typeof r.body?.error?.code).toBe('string');
  };

  it('JSON bodies on every POST route', async () => {
    const routes = ['/api/players', '/api/games', `/api/games/${gameId}/join`, `/api/games/${gameId}/moves`, `/api/games/${gameId}/resign`, `/api/games/${gameId}/chat`];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue({ maxDepth: 4 }), fc.boolean(), async (url, body, auth) => {
        check(await t.s.req('POST', url, { body, ...(auth ? { token } : {}) }));
      }),
      { numRuns: 150 },
    );
  });

  it('raw bodies and content types', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', 'multipart/form-data', 'application/json; charset=latin1'), async (raw, type) => {
        check(await t.s.req('POST', `/api/games/${gameId}/moves`, { token, raw, headers: { 'content-type': type } }));
      }),
      { numRuns: 100 },
    );
  });

  it('query strings, path segments and headers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), async (a, b) => {
        const q = encodeURIComponent(a);
        check(await t.s.req('GET', `/api/games?status=${q}&cursor=${encodeURIComponent(b)}`));
        check(await t.s.req('GET', `/api/games/${q}`));
        check(await t.s.req('GET', `/api/games/${gameId}/events?after=${q}`));
        check(await t.s.req('GET', `/api/leaderboard?type=${q}&limit=${encodeURIComponent(b)}`));
        check(await t.s.req('GET', '/api/players/me', { headers: { authorization: `Bearer ${a.replace(/[^\x21-\x7e]/g, '')}` } }));
        check(await t.s.req('POST', `/api/games/${gameId}/moves`, { token, body: { move: { column: 1 }, expectedSeq: 1 }, headers: { 'idempotency-key': b.replace(/[^\x20-\x7e]/g, '') || 'k' } }));
      }),
      { numRuns: 80 },
    );
  });
});
