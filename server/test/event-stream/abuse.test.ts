import { createConnection, type Socket } from 'node:net';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorBody, type Topic } from '@monkeytown/shared';
import { createMemoryBus, type Bus } from '../../src/bus/index.js';
import type { EventStream } from '../../src/event-stream/index.js';
import { ev, gameTopicOf } from '../bus/contract.js';
import { TestClient, range, startTestStream } from './harness.js';

// Bad input and abuse (issue 3, acceptance 4 and 5): each gets an error or a close
// with a clear code, the process stays healthy and bystanders keep receiving.
describe('event-stream under bad input and abuse', () => {
  let bus: Bus;
  let es: EventStream;
  let url: string;
  let http: string;
  const clients: TestClient[] = [];
  const start = async (env: Record<string, string> = {}) => {
    bus = createMemoryBus();
    ({ es, url, http } = await startTestStream(bus, env));
  };
  const connect = async () => {
    const c = await TestClient.connect(url);
    clients.push(c);
    return c;
  };
  /** A bystander watching a live game: must get every event whatever others do. */
  const bystander = async () => {
    const topic = gameTopicOf();
    await bus.publish([ev(topic, 1)]);
    const c = await connect();
    c.send({ type: 'subscribe', topic });
    await c.next((m) => m.type === 'subscribed');
    return {
      async check(n = 20) {
        await bus.publish(range(2, n + 1).map((s) => ev(topic, s)));
        await c.waitFor(() => c.seqs(topic).length === n, 10_000, 'bystander events');
        expect(c.seqs(topic)).toEqual(range(2, n + 1));
        expect((await fetch(`${http}/health/ready`)).status).toBe(200);
      },
    };
  };
  const metric = async (name: string) => {
    const text = await (await fetch(`${http}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line ? Number(line.split(' ')[1]) : NaN;
  };

  beforeEach(() => {
    clients.length = 0;
  });
  afterEach(async () => {
    for (const c of clients) c.close();
    await es.close();
    await bus.close();
  });

  it('answers junk with an error and keeps the connection', async () => {
    await start();
    const watcher = await bystander();
    const c = await connect();
    const cases: [unknown, string][] = [
      ['not json at all', 'bad_request'],
      ['{"type":', 'bad_request'],
      [{ type: 'dance' }, 'validation_failed'],
      [{ type: 'subscribe', topic: 'game:../../etc/passwd' }, 'validation_failed'],
      [{ type: 'subscribe', topic: 'lobby', sinceSeq: -1 }, 'validation_failed'],
      [{ type: 'subscribe', topic: 'lobby', extra: true }, 'validation_failed'],
      [{ type: 'subscribe', topic: 'lobby', sinceSeq: 1e300 }, 'validation_failed'],
      [[1, 2, 3], 'validation_failed'],
      ['null', 'validation_failed'],
    ];
    for (const [msg] of cases) c.send(msg);
    c.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true });
    await c.waitFor(() => c.of('error').length === cases.length + 1, 5000, 'all errors');
    expect(c.of('error').map((e) => e.code)).toEqual([...cases.map(([, code]) => code), 'bad_request']);
    expect(c.of('error').every((e) => e.message.length > 0)).toBe(true);
    expect(c.invalid).toEqual([]); // everything the server sent matched the contract
    c.send({ type: 'ping' });
    await c.next((m) => m.type === 'pong');
    await watcher.check();
  });

  it('refuses broken upgrades and other paths with an HTTP status, never crashing', async () => {
    await start();
    const watcher = await bystander();
    const { port } = new URL(url);
    const rawHttp = (req: string) =>
      new Promise<string>((resolve) => {
        const sock = createConnection(Number(port), '127.0.0.1', () => sock.write(req));
        let out = '';
        sock.on('data', (d) => (out += d.toString()));
        sock.on('close', () => resolve(out));
        sock.on('error', () => resolve(out));
        setTimeout(() => sock.destroy(), 1000);
      });
    const upgrade = (path: string, extra: string) =>
      `GET ${path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${extra}\r\n`;
    expect(await rawHttp(upgrade('/ws', 'Sec-WebSocket-Version: 13\r\n'))).toMatch(/^HTTP\/1\.1 400/); // no key
    expect(await rawHttp(upgrade('/ws', 'Sec-WebSocket-Key: nope\r\nSec-WebSocket-Version: 99\r\n'))).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawHttp(upgrade('/elsewhere', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n'))).toMatch(/^HTTP\/1\.1 404/);
    expect(await rawHttp(upgrade('/ws?token=%E0%A4%A', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n'))).toMatch(/^HTTP\/1\.1 101/);
    await watcher.check();
  });

  it('answers every HTTP error in the contract shape: no Host, parser errors, refused upgrades, other methods', async () => {
    await start();
    const { port } = new URL(url);
    const exchange = (req: string) =>
      new Promise<{ status: number; head: string; body: string }>((resolve, reject) => {
        const sock = createConnection(Number(port), '127.0.0.1', () => sock.write(req));
        let out = '';
        sock.setEncoding('utf8');
        sock.on('data', (d) => (out += d));
        sock.on('error', reject);
        sock.on('close', () => {
          const [head = '', body = ''] = out.split('\r\n\r\n');
          resolve({ status: Number(head.split(' ')[1]), head: head.toLowerCase(), body });
        });
      });
    const expectError = async (req: string, status: number, code: string) => {
      const r = await exchange(req);
      expect(r.status, req).toBe(status);
      expect(r.head).toContain('content-type: application/json');
      const parsed = ErrorBody.safeParse(JSON.parse(r.body));
      expect(parsed.success, r.body).toBe(true);
      expect(parsed.data?.error.code).toBe(code);
      return r;
    };
    const key = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
    // Node answered these with an empty 400.
    await expectError('GET /health/live HTTP/1.1\r\n\r\n', 400, 'bad_request');
    await expectError('GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' + key + 'Sec-WebSocket-Version: 13\r\n\r\n', 400, 'bad_request');
    await expectError('GET /health/live HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n', 400, 'bad_request');
    await expectError(`GET /health/live HTTP/1.1\r\nHost: x\r\nX-A: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'headers_too_large');
    // ws answered these in plain text; ours named 405 `bad_request`; refused upgrades had no body.
    const badKey = await expectError('GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n', 400, 'bad_request');
    expect(badKey.head).toContain('sec-websocket-version: 13');
    await expectError('GET /elsewhere HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' + key + 'Sec-WebSocket-Version: 13\r\n\r\n', 404, 'not_found');
    const post = await expectError('POST /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' + key + 'Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n', 405, 'method_not_allowed');
    expect(post.head).toContain('allow: get');
    const del = await expectError('DELETE /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 405, 'method_not_allowed');
    expect(del.head).toContain('allow: get, head');
    // HTTP/1.0 may omit Host.
    expect((await exchange('GET /health/live HTTP/1.0\r\n\r\n')).status).toBe(200);
    expect((await fetch(`${http}/health/ready`)).status).toBe(200);
  });

  it('closes an oversize frame with 1009', async () => {
    await start();
    const watcher = await bystander();
    const c = await connect();
    c.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(5000) }));
    expect((await c.closed).code).toBe(1009);
    await watcher.check();
  });

  it('closes a flood with an error then 4029', async () => {
    await start();
    const watcher = await bystander();
    const c = await connect();
    const sent = performance.now();
    for (let i = 0; i < 500; i++) c.send({ type: 'ping' });
    const closed = await c.closed;
    const ms = performance.now() - sent;
    expect(closed.code).toBe(4029);
    expect(c.of('error').at(-1)).toMatchObject({ code: 'rate_limited' });
    // The bucket (20/s, burst 40): 40 at once, then one per 50 ms while the server was
    // still reading the flood — which on a busy machine takes more than one 50 ms step.
    expect(c.of('pong').length, `pongs in ${ms.toFixed(0)} ms`).toBeLessThanOrEqual(40 + Math.ceil(ms / 50));
    await watcher.check();
  });

  it('thousands of topics: no socket holds more than the maximum and the hub releases them all', async () => {
    await start({ WS_MESSAGES_PER_SECOND: '100000' });
    const watcher = await bystander();
    const topics: Topic[] = range(1, 3000).map(() => gameTopicOf());
    for (const t of topics) await bus.publish([ev(t, 1)]);
    const c = await connect();
    for (const topic of topics) c.send({ type: 'subscribe', topic });
    await c.waitFor(() => c.of('subscribed').length + c.of('error').length === 3000, 20_000, '3000 answers');
    expect(c.of('subscribed')).toHaveLength(50);
    expect(c.of('error')).toHaveLength(2950);
    expect(c.of('error')[0]).toMatchObject({ code: 'bad_request', message: expect.stringContaining('max 50') });
    // 40 more sockets × 50 topics: 2000 topics on the hub, all released on close.
    const many = await Promise.all(range(1, 40).map(() => connect()));
    many.forEach((m, i) => topics.slice(i * 50, i * 50 + 50).forEach((topic) => m.send({ type: 'subscribe', topic })));
    await Promise.all(many.map((m) => m.waitFor(() => m.of('subscribed').length === 50, 20_000, '50 subscribed')));
    expect(await metric('mt_es_topics')).toBe(2001);
    await watcher.check();
    for (const m of [c, ...many]) m.close();
    await Promise.all([c, ...many].map((m) => m.closed));
    await c.waitFor(async () => false, 200).catch(() => {});
    expect(await metric('mt_es_topics')).toBe(1); // only the bystander's
  }, 60_000);

  it('with default limits, a subscribe storm is cut off with 4029', async () => {
    await start();
    const c = await connect();
    for (let i = 0; i < 3000; i++) c.send({ type: 'subscribe', topic: gameTopicOf() });
    expect((await c.closed).code).toBe(4029);
    expect((await fetch(`${http}/health/live`)).status).toBe(200);
  });

  it('drops a peer that stops answering protocol pings; a live one stays', async () => {
    await start({ WS_HEARTBEAT_MS: '150' });
    const live = await connect();
    const dead = new WebSocket(url, { autoPong: false });
    const deadClosed = new Promise<number>((r) => dead.once('close', (code) => r(code)));
    await new Promise((r) => dead.once('open', r));
    const started = Date.now();
    expect(await deadClosed).toBe(1006); // terminated: a dead peer cannot take a close frame
    expect(Date.now() - started).toBeLessThan(2000);
    live.send({ type: 'ping' });
    await live.next((m) => m.type === 'pong');
    expect(live.ws.readyState).toBe(WebSocket.OPEN);
    expect(await metric('mt_es_closes_total{code="4000"}')).toBeGreaterThanOrEqual(1);
  });

  it('cuts off a consumer that reads nothing with 4008; others get everything (memory: slow-consumer.test.ts)', async () => {
    await start({ WS_MAX_BUFFERED_BYTES: String(1024 * 1024) });
    const topic = gameTopicOf();
    await bus.publish([ev(topic, 1)]);
    const fast = await connect();
    fast.send({ type: 'subscribe', topic });
    const slow = await connect();
    slow.send({ type: 'subscribe', topic });
    await fast.next((m) => m.type === 'subscribed');
    await slow.next((m) => m.type === 'subscribed');
    // Stop reading: the kernel buffers fill, then the server's send buffer grows.
    const raw = (slow.ws as unknown as { _socket: Socket })._socket;
    raw.pause();
    const blob = 'x'.repeat(8 * 1024);
    const n = 4000; // 32 MiB in total
    // Once cut off, read again at once: the close frame sits behind the backlog, and a
    // socket that still does not read is terminated after 2 s (then it would see 1006).
    let resumedAt = 0;
    const watch = setInterval(() => {
      void metric('mt_es_dropped_slow_consumers_total').then((v) => {
        if (v === 1 && !resumedAt) {
          resumedAt = Date.now();
          raw.resume();
        }
      });
    }, 20);
    // Paced by the reading client's progress (both clients live in this busy process),
    // so only the one that reads nothing passes the bound.
    for (let i = 2; i <= n + 1; i += 20) {
      while (i - 2 - fast.seqs(topic).length > 40) await new Promise((r) => setTimeout(r, 2));
      await bus.publish(range(i, Math.min(i + 19, n + 1)).map((s) => ({ ...ev(topic, s), data: { blob } })));
    }
    await fast.waitFor(() => fast.seqs(topic).length === n, 30_000, 'fast consumer got everything');
    expect(await metric('mt_es_dropped_slow_consumers_total')).toBe(1);
    clearInterval(watch);
    expect(resumedAt).toBeGreaterThan(0);
    expect((await slow.closed).code).toBe(4008);
    expect(slow.seqs(topic).length).toBeLessThan(n / 2); // cut off early, not at the end
    expect(fast.seqs(topic)).toEqual(range(2, n + 1));
  }, 60_000);
});
