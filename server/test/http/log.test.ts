import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { accessLog, logRequest } from '../../src/http/log.js';

/** A Fastify app whose log lines are collected; `record` is what its onResponse hook logs with. */
function appLogging(record: (app: ReturnType<typeof Fastify>) => (req: any, reply: any) => void) {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(String(chunk))); cb(); } });
  const app = Fastify({ logger: { level: 'info', stream }, disableRequestLogging: true, requestIdHeader: 'x-request-id' });
  const log = record(app);
  // As the game-server does (http/app.ts): every answer names its request id.
  app.addHook('onSend', (req, reply, payload, done) => { reply.header('x-request-id', req.id); done(null, payload); });
  app.addHook('onResponse', (req, reply, done) => { log(req, reply); done(); });
  app.get('/x', async () => ({ ok: true }));
  app.get('/slow', async () => { await new Promise((r) => setTimeout(r, 60)); return { ok: true }; });
  app.get('/bad', async (_req, reply) => reply.code(409).send({ error: { code: 'conflict', message: 'no' } }));
  app.get('/boom', async () => { throw new Error('boom'); });
  return { app, lines };
}

describe('request log line', () => {
  it('one line per request with method, url, client address, status, time and the request id', async () => {
    const { app, lines } = appLogging(() => logRequest);
    await app.inject({ method: 'GET', url: '/x?y=1', remoteAddress: '203.0.113.7' });
    await app.close();
    const line = lines.find((l) => l.msg === 'request completed');
    expect(line).toMatchObject({ req: { method: 'GET', url: '/x?y=1', remoteAddress: '203.0.113.7' }, res: { statusCode: 200 } });
    expect(typeof line!.responseTime).toBe('number');
    expect(line!.reqId).toBeTruthy();
  });
});

describe('access log, summary mode', () => {
  it('logs every failure and every slow request whole, by its request id, and counts the rest in one line', async () => {
    let access: ReturnType<typeof accessLog> | undefined;
    const { app, lines } = appLogging((a) => {
      access = accessLog(a.log, { mode: 'summary', slowMs: 50, intervalMs: 60_000 });
      return (req, reply) => access!.record(req, reply);
    });
    for (let i = 0; i < 5; i++) await app.inject({ method: 'GET', url: '/x' });
    const bad = await app.inject({ method: 'GET', url: '/bad', headers: { 'x-request-id': 'req-409' } });
    const boom = await app.inject({ method: 'GET', url: '/boom' });
    await app.inject({ method: 'GET', url: '/nowhere' });
    await app.inject({ method: 'GET', url: '/slow', remoteAddress: '203.0.113.9' });
    expect(lines.filter((l) => l.msg === 'requests completed')).toEqual([]); // counted, not yet written
    access!.close();
    await app.close();

    const whole = lines.filter((l) => l.msg === 'request completed');
    expect(whole.map((l) => [l.req.url, l.res.statusCode])).toEqual([['/bad', 409], ['/boom', 500], ['/nowhere', 404], ['/slow', 200]]);
    // "What happened to request X": a failure's line carries the id the client saw in x-request-id.
    expect(bad.headers['x-request-id']).toBe('req-409');
    expect(whole[0]!.reqId).toBe('req-409');
    expect(whole[1]!.reqId).toBe(boom.headers['x-request-id']);
    expect(whole[3]).toMatchObject({ req: { method: 'GET', remoteAddress: '203.0.113.9' } });
    expect(whole[3]!.responseTime).toBeGreaterThanOrEqual(50);

    const summary = lines.filter((l) => l.msg === 'requests completed');
    expect(summary).toHaveLength(1);
    expect(summary[0]!.requests).toMatchObject({ count: 5, byStatus: { 200: 5 } });
    expect(summary[0]!.requests.maxMs).toBeGreaterThanOrEqual(summary[0]!.requests.meanMs);
    expect(summary[0]!.requests.slowestReqId).toBeTruthy();
  });

  it("'all' logs a line for every request, as LOG_LEVEL info always did", async () => {
    const { app, lines } = appLogging((a) => accessLog(a.log, { mode: 'all', slowMs: 500 }).record);
    for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: '/x' });
    await app.close();
    expect(lines.filter((l) => l.msg === 'request completed')).toHaveLength(3);
  });
});
