import { describe, expect, it } from 'vitest';
import { fuzzOpenApi, type OpenApiDocument } from '@monkeytown/test-support';
import { pgliteBackend } from '../helpers/db.js';
import { guest, useFreshServer } from '../helpers/server.js';

// ≥ 5,000 requests (issue 15); FUZZ_RUNS raises it for a longer hunt.
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);

/**
 * Every query and path parameter of every operation in the served OpenAPI document,
 * fed arbitrary strings, base64url JSON and boundary numbers: never a 5xx, every error
 * in the contract shape with the table's status. A new route is covered by being in
 * the document.
 */
describe('OpenAPI-driven fuzz of the game-server', () => {
  const t = useFreshServer(pgliteBackend, { env: { LOG_LEVEL: 'silent' } });

  it(`${RUNS} generated requests: zero 5xx, zero off-contract bodies`, { timeout: 300_000 }, async () => {
    const me = await guest(t.s, 'Fuzzer');
    const game = await t.s.req('POST', '/api/games', { token: me.token, body: { type: 'connect4', opponent: { kind: 'open' } } });
    const doc = (await t.s.req('GET', '/api/docs/json')).body as OpenApiDocument;
    expect(Object.keys(doc.paths).length).toBeGreaterThanOrEqual(10);

    const report = await fuzzOpenApi(
      doc,
      async (r) => {
        const res = await t.s.app.inject({ method: r.method as 'GET', url: r.url, headers: r.headers, ...(r.body !== undefined ? { payload: r.body } : {}) });
        return { status: res.statusCode, body: res.body };
      },
      { runs: RUNS, seeds: { pathValues: [game.body.game.id, me.id], token: me.token } },
    );
    console.log(`[fuzz] game-server: ${report.requests} requests, by status ${JSON.stringify(report.byStatus)}`);
    expect(report.requests).toBeGreaterThanOrEqual(RUNS);
    // The fuzz reached past validation too (real handlers answered).
    expect(report.byStatus[200] ?? 0).toBeGreaterThan(0);
    expect(report.byStatus[404] ?? 0).toBeGreaterThan(0);
  });

  it('the crafted lobby cursors of issue 15 answer 400 bad_request', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const cursors = [
      b64(['1', 'a'.repeat(36)]),
      b64(['1', '-'.repeat(36)]),
      b64(['99999999999999999999', '00000000-0000-4000-8000-000000000000']),
      b64(['9223372036854775807', '00000000-0000-4000-8000-000000000000']),
      b64([1, '00000000-0000-4000-8000-000000000000']),
      b64({ k: '1' }),
      'not base64 at all!',
    ];
    for (const c of cursors) {
      const r = await t.s.req('GET', `/api/games?cursor=${encodeURIComponent(c)}`);
      expect(r.status, c).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'bad_request', message: 'invalid cursor' });
    }
    // A well-formed cursor at the edge of the range still pages (no rows older than year 1).
    const ok = await t.s.req('GET', `/api/games?cursor=${b64(['0', '00000000-0000-4000-8000-000000000000'])}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ games: [], nextCursor: null });
  });
});
