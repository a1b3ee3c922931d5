// @vitest-environment node
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installHttpGuard } from '../src/lib/http-guard';

/** A server class of its own, so the guard is tested without touching http.Server for other tests. */
class Guarded extends http.Server {}
installHttpGuard(Guarded.prototype);

let server: Guarded;
let port: number;
beforeAll(async () => {
  server = new Guarded((_req, res) => res.end('next'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const raw = (text: string) =>
  new Promise<string>((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(text));
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('close', () => resolve(out));
  });

describe('the web server’s HTTP guard', () => {
  it('answers TRACE with 405 method_not_allowed (Next would answer a plain 500)', async () => {
    const out = await raw('TRACE /api/games HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(out).toMatch(/^HTTP\/1\.1 405 /);
    expect(JSON.parse(out.split('\r\n\r\n')[1]!)).toEqual({ error: { code: 'method_not_allowed', message: 'TRACE is not allowed' } });
  });

  it('answers what the parser refuses with a JSON 400 or 431 (Node would send an empty 400)', async () => {
    const bad = await raw('FOO /api/games HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(bad).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(bad.split('\r\n\r\n')[1]!).error.code).toBe('bad_request');
    const big = await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-A: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(big.split('\r\n\r\n')[1]!).error.code).toBe('headers_too_large');
  });

  it('answers /api paths with dot segments with a JSON 404 (URL parsing would turn them into pages)', async () => {
    for (const path of ['/api/..', '/api/../games', '/api/games/%2e%2e', '/api/./agents', '/api/games/%2E%2E/x?y=1']) {
      const out = await raw(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(out, path).toMatch(/^HTTP\/1\.1 404 /);
      expect(JSON.parse(out.split('\r\n\r\n')[1]!).error.code).toBe('not_found');
    }
  });

  it('passes everything else on', async () => {
    expect(await raw('GET /api/games/..x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/next$/);
    expect(await raw('GET /../x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/next$/);
    expect(await raw('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/next$/);
  });
});
