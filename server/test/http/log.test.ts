import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { logRequest } from '../../src/http/log.js';

describe('request log line', () => {
  it('one line per request with method, url, client address, status, time and the request id', async () => {
    const lines: Record<string, any>[] = [];
    const stream = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(String(chunk))); cb(); } });
    const app = Fastify({ logger: { level: 'info', stream }, disableRequestLogging: true });
    app.addHook('onResponse', (req, reply, done) => { logRequest(req, reply); done(); });
    app.get('/x', async () => ({ ok: true }));
    await app.inject({ method: 'GET', url: '/x?y=1', remoteAddress: '203.0.113.7' });
    await app.close();
    const line = lines.find((l) => l.msg === 'request completed');
    expect(line).toMatchObject({ req: { method: 'GET', url: '/x?y=1', remoteAddress: '203.0.113.7' }, res: { statusCode: 200 } });
    expect(typeof line!.responseTime).toBe('number');
    expect(line!.reqId).toBeTruthy();
  });
});
