// @vitest-environment node
// Issue 25: server-side renders tell the game-server whose page they render (the address
// the trusted proxy in front of web saw), and nothing a browser wrote itself.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientAddress, trustedHops } from '../src/lib/client-address';

let incoming = new Headers();
vi.mock('next/headers', () => ({ headers: async () => incoming }));
const { serverCall } = await import('../src/lib/server-api');

let upstream: http.Server;
let seen: http.IncomingHttpHeaders = {};

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    seen = req.headers;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"type":"chess","entries":[]}');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  process.env.GAME_SERVER_URL = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));
beforeEach(() => {
  delete process.env.TRUST_PROXY_HOPS;
  seen = {};
});

describe('the client address SSR forwards', () => {
  it('takes the entry the trusted proxy appended, never one the client wrote', () => {
    expect(clientAddress('203.0.113.7', 1)).toBe('203.0.113.7');
    // A browser that sends its own X-Forwarded-For: the ALB appends the real address.
    expect(clientAddress('6.6.6.6, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(clientAddress('6.6.6.6, 203.0.113.7, 10.0.1.5', 2)).toBe('203.0.113.7');
    expect(clientAddress('2001:db8::1', 1)).toBe('2001:db8::1');
  });

  it('forwards nothing without a trusted proxy, a header, or an address in it', () => {
    expect(clientAddress('203.0.113.7', 0)).toBeUndefined();
    expect(clientAddress(null, 1)).toBeUndefined();
    expect(clientAddress('203.0.113.7', 2)).toBeUndefined();
    expect(clientAddress('not-an-ip', 1)).toBeUndefined();
    expect(clientAddress('1.2.3.4\r\nx-evil: 1', 1)).toBeUndefined();
  });

  it('reads TRUST_PROXY_HOPS (default 0) and refuses junk', () => {
    expect(trustedHops({})).toBe(0);
    expect(trustedHops({ TRUST_PROXY_HOPS: '1' })).toBe(1);
    expect(() => trustedHops({ TRUST_PROXY_HOPS: 'yes' })).toThrow(/TRUST_PROXY_HOPS/);
  });
});

describe('serverCall', () => {
  it('sends the player address to the game-server when web trusts the proxy in front', async () => {
    process.env.TRUST_PROXY_HOPS = '1';
    incoming = new Headers({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7' });
    const r = await serverCall('leaderboard.get', {});
    expect(r).toEqual({ ok: true, data: { type: 'chess', entries: [] } });
    expect(seen['x-forwarded-for']).toBe('203.0.113.7');
  });

  it('sends no address by default (npm start: nothing in front of web)', async () => {
    incoming = new Headers({ 'x-forwarded-for': '6.6.6.6' });
    await serverCall('leaderboard.get', {});
    expect(seen['x-forwarded-for']).toBeUndefined();
  });
});
