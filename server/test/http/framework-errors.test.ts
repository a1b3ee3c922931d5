import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, ErrorBody } from '@monkeytown/shared';
import { pgliteBackend } from '../helpers/db.js';
import { startTestServer, useFreshServer } from '../helpers/server.js';

/** One raw HTTP exchange over a real socket (the parser's errors never reach app.inject). */
function rawHttp(port: number, request: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(request));
    let out = '';
    s.setEncoding('latin1');
    s.on('data', (d) => (out += d));
    s.on('error', reject);
    s.on('close', () => {
      const [head = '', body = ''] = out.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head, body: Buffer.from(body, 'latin1').toString('utf8') });
    });
  });
}

/** The contract: JSON {error:{code,message}}, a known code, and the status the table gives that code. */
function expectContract(r: { status: number; body: string }, code: string) {
  const parsed = ErrorBody.safeParse(JSON.parse(r.body));
  expect(parsed.success, r.body).toBe(true);
  expect(parsed.data?.error.code).toBe(code);
  expect(r.status).toBe(ERROR_STATUS[code as keyof typeof ERROR_STATUS]);
}

const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: t\r\n${extra}Connection: close\r\n\r\n`;

describe('framework-level errors answer in the contract shape', () => {
  const t = useFreshServer(pgliteBackend, { listen: true, env: { RATE_LIMIT_IP_PER_MIN: '1000', RATE_LIMIT_PLAYER_PER_MIN: '2' } });

  it('malformed percent-encoding in the path → 400 bad_request (was FST_ERR_BAD_URL)', async () => {
    expectContract(await rawHttp(t.s.port, get('/api/players/%')), 'bad_request');
    expectContract(await rawHttp(t.s.port, get('/api/games/%E0%A4%A')), 'bad_request');
  });

  it('a path parameter over 100 characters → 414 uri_too_long', async () => {
    expectContract(await rawHttp(t.s.port, get(`/api/games/${'a'.repeat(120)}`)), 'uri_too_long');
  });

  it('what the HTTP parser refuses (NUL in the URL, control character in a header, unknown method) → 400 bad_request', async () => {
    expectContract(await rawHttp(t.s.port, get('/api/ga\0mes')), 'bad_request');
    expectContract(await rawHttp(t.s.port, get('/api/games', 'X-A: a\x01b\r\n')), 'bad_request');
    expectContract(await rawHttp(t.s.port, 'FOO /api/games HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n'), 'bad_request');
  });

  it('an HTTP/1.1 request without Host → 400 bad_request in the contract shape (Node answered an empty 400); HTTP/1.0 may omit it', async () => {
    const r = await rawHttp(t.s.port, 'GET /api/health HTTP/1.1\r\n\r\n');
    expectContract(r, 'bad_request');
    expect(JSON.parse(r.body).error.message).toMatch(/Host/);
    expect(r.headers.toLowerCase()).toContain('content-type: application/json');
    expect(r.headers.toLowerCase()).toContain('connection: close');
    expect(r.headers.toLowerCase()).toContain('x-content-type-options: nosniff'); // the security headers too
    // A route that exists, a route that does not, and a POST: the same answer.
    expectContract(await rawHttp(t.s.port, 'GET /health/live HTTP/1.1\r\n\r\n'), 'bad_request');
    expectContract(await rawHttp(t.s.port, 'POST /api/players HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"name":"nh"}'), 'bad_request');
    const old = await rawHttp(t.s.port, 'GET /health/live HTTP/1.0\r\n\r\n');
    expect(old.status).toBe(200);
  });

  it('headers over 16 KiB → 431 headers_too_large', async () => {
    expectContract(await rawHttp(t.s.port, get('/api/games', `X-A: ${'a'.repeat(20_000)}\r\n`)), 'headers_too_large');
  });

  it('a known path under another method → 405 method_not_allowed with Allow; TRACE too', async () => {
    for (const m of ['DELETE', 'PUT', 'TRACE', 'PATCH']) {
      const r = await rawHttp(t.s.port, `${m} /api/games HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      expectContract(r, 'method_not_allowed');
      expect(r.headers.toLowerCase()).toMatch(/\r\nallow: get, (head, )?post|\r\nallow: (head, )?get/);
    }
    expectContract(await rawHttp(t.s.port, get('/api/nothing-here')), 'not_found');
    expectContract(await rawHttp(t.s.port, get('/api/../etc/passwd')), 'not_found');
  });

  it('415 and 413 from the body parser', async () => {
    const a = await t.s.req('POST', '/api/players', { raw: '<name>x</name>', headers: { 'content-type': 'application/xml' } });
    expect(a.status).toBe(415);
    expect(a.body.error.code).toBe('unsupported_media_type');
    const b = await t.s.req('POST', '/api/players', { raw: JSON.stringify({ name: 'x'.repeat(40_000) }), headers: { 'content-type': 'application/json' } });
    expect(b.status).toBe(413);
    expect(b.body.error.code).toBe('payload_too_large');
  });

  it('retryAfter is a number of seconds on per-player and per-IP limits alike', async () => {
    const r = await t.s.req('POST', '/api/players', { body: { name: 'Limited' } });
    const token = r.body.token as string;
    let limited;
    for (let i = 0; i < 4 && !limited; i++) {
      const x = await t.s.req('GET', '/api/players/me', { token });
      if (x.status === 429) limited = x;
    }
    expect(limited?.body.error.code).toBe('rate_limited');
    expect(typeof limited?.body.error.details.retryAfter).toBe('number');
    expect(String(limited?.headers['retry-after'])).toBe(String(limited?.body.error.details.retryAfter));

    const ip = await startTestServer(t.tdb.db, { env: { RATE_LIMIT_IP_PER_MIN: '1' } });
    try {
      await ip.req('GET', '/api/agents');
      const x = await ip.req('GET', '/api/agents');
      expect(x.status).toBe(429);
      expect(x.body.error.details.retryAfter).toBeGreaterThan(0);
      // Sliding windows: a request counts for 60–65 s (12 buckets of 5 s, and the current one).
      expect(x.body.error.details.retryAfter).toBeLessThanOrEqual(65);
      expect(String(x.headers['retry-after'])).toBe(String(x.body.error.details.retryAfter));
    } finally {
      await ip.close();
    }
  });
});
