// The web server in the contract (issue 15): the OpenAPI-driven fuzz of the game-server,
// sent through the built web's /api proxy, plus what only the web server answers
// (malformed percent-encoding on pages and /api, TRACE and other methods, /api itself).
// Runs against the standalone build (`npm run build`), like the browser tests.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '@monkeytown/shared';
import { contractViolation, fuzzOpenApi, type FuzzRequest, type FuzzResponse, type OpenApiDocument } from '@monkeytown/test-support';
import { requireTestBackends, startBrowserStack, type BrowserStack } from '../harness/stack.js';

const env = requireTestBackends();
if ('skip' in env) console.warn(`[web contract] skipped: ${env.skip}`);
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** One request with the path exactly as given (fetch would normalise "%" and ".." away). */
function send(base: string, r: FuzzRequest, retried = false): Promise<FuzzResponse & { contentType: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method: r.method, path: r.url, headers: r.headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, contentType: String(res.headers['content-type'] ?? '') }));
    });
    // A kept-alive socket the server closed meanwhile is the client's race, not a server
    // fault: retry once on a fresh socket (Node's documented pattern for reusedSocket).
    req.on('error', (err) => (req.reusedSocket && !retried ? send(base, r, true).then(resolve, reject) : reject(err)));
    req.end(r.body);
  });
}

describe.skipIf('skip' in env)('the web server answers in the error contract', () => {
  let stack: BrowserStack;
  beforeAll(async () => {
    stack = await startBrowserStack((env as { databaseUrl: string }).databaseUrl, { via: 'direct' });
  });
  afterAll(async () => {
    agent.destroy();
    await stack?.stop();
  });

  const call = (method: string, url: string, body?: unknown, token?: string) =>
    send(stack.baseUrl, {
      method,
      url,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('what Next answered in its own shapes (plain 500, empty 400, HTML 404) is now the contract', async () => {
    const cases: [string, string, keyof typeof ERROR_STATUS][] = [
      ['GET', '/players/%', 'bad_request'],
      ['GET', '/games/%E0%A4%A', 'bad_request'],
      ['POST', '/api/games/%/resign', 'bad_request'],
      ['TRACE', '/api/games', 'method_not_allowed'],
      ['PROPFIND', '/api/games', 'method_not_allowed'],
      ['GET', '/api', 'not_found'],
      ['GET', '/api/..', 'not_found'],
    ];
    for (const [method, url, code] of cases) {
      const r = await send(stack.baseUrl, { method, url, headers: {} });
      expect(contractViolation(r), `${method} ${url}`).toBeNull();
      expect({ what: `${method} ${url}`, status: r.status, code: JSON.parse(r.body).error.code }).toEqual({ what: `${method} ${url}`, status: ERROR_STATUS[code], code });
    }
    // Pages and the API still work through the proxy.
    const page = await call('GET', '/');
    expect(page.status).toBe(200);
    expect(page.contentType).toContain('text/html');
    expect((await call('GET', '/api/agents')).status).toBe(200);
  });

  it(`${RUNS} OpenAPI-generated requests through the web's /api proxy: zero 5xx, zero off-contract bodies`, { timeout: 600_000 }, async () => {
    const me = JSON.parse((await call('POST', '/api/players', { name: 'Fuzz' })).body);
    const game = JSON.parse((await call('POST', '/api/games', { type: 'connect4', opponent: { kind: 'open' } }, me.token)).body);
    const doc = JSON.parse((await call('GET', '/api/docs/json')).body) as OpenApiDocument;
    const report = await fuzzOpenApi(doc, (r) => send(stack.baseUrl, r), {
      runs: RUNS,
      seeds: { pathValues: [game.game.id, me.player.id], token: me.token },
    });
    console.log(`[fuzz] web proxy: ${report.requests} requests, by status ${JSON.stringify(report.byStatus)}`);
    expect(report.requests).toBeGreaterThanOrEqual(RUNS);
    expect(report.byStatus[200] ?? 0).toBeGreaterThan(0);
  });
});
