// @vitest-environment node
// The same-origin /api proxy: forwards method, path, query, body and the headers that
// matter to GAME_SERVER_URL (read per request), returns status and body unchanged.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET, POST } from '../app/api/[...path]/route';

let upstream: http.Server;
let seen: { method?: string; url?: string; auth?: string; idem?: string; body?: string; cookie?: string } = {};

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen = { method: req.method, url: req.url, auth: req.headers.authorization, idem: req.headers['idempotency-key'] as string, body, cookie: req.headers.cookie };
      res.writeHead(req.url?.includes('missing') ? 404 : 201, { 'content-type': 'application/json', 'x-request-id': 'r1' });
      res.end(JSON.stringify(req.url?.includes('missing') ? { error: { code: 'not_found', message: 'no such game' } } : { ok: true }));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  process.env.GAME_SERVER_URL = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

function request(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  const url = new URL(`http://web.test/api/${path}`);
  const req = new Request(url, { method, body: init.body, headers: init.headers });
  return Object.assign(req, { nextUrl: url }) as unknown as Parameters<typeof GET>[0];
}
const ctx = (path: string) => ({ params: Promise.resolve({ path: path.split('/') }) });

describe('/api proxy', () => {
  it('forwards a POST with auth, idempotency key and body; drops cookies', async () => {
    const res = await POST(
      request('POST', 'games/abc/moves', {
        body: '{"move":{"cell":4},"expectedSeq":2}',
        headers: { authorization: 'Bearer t', 'idempotency-key': 'k1', 'content-type': 'application/json', cookie: 'secret=1' },
      }),
      ctx('games/abc/moves'),
    );
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('x-request-id')).toBe('r1');
    expect(seen).toMatchObject({ method: 'POST', url: '/api/games/abc/moves', auth: 'Bearer t', idem: 'k1', body: '{"move":{"cell":4},"expectedSeq":2}' });
    expect(seen.cookie).toBeUndefined();
  });

  it('keeps the query string and passes errors through as they are', async () => {
    const url = new URL('http://web.test/api/games/missing?after=3');
    const req = Object.assign(new Request(url), { nextUrl: url }) as unknown as Parameters<typeof GET>[0];
    const res = await GET(req, ctx('games/missing'));
    expect(seen.url).toBe('/api/games/missing?after=3');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });

  it('refuses an oversized body without calling the game server', async () => {
    seen = {};
    const res = await POST(request('POST', 'players', { body: 'x'.repeat(70 * 1024) }), ctx('players'));
    expect(res.status).toBe(413);
    expect(seen.method).toBeUndefined();
  });

  it('answers 503 with a JSON error when the game server is down', async () => {
    const saved = process.env.GAME_SERVER_URL;
    process.env.GAME_SERVER_URL = 'http://127.0.0.1:9';
    try {
      const res = await GET(request('GET', 'agents'), ctx('agents'));
      expect(res.status).toBe(503);
      expect((await res.json()).error.code).toBe('unavailable');
    } finally {
      process.env.GAME_SERVER_URL = saved;
    }
  });
});
