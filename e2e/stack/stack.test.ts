// Through nginx (the shipped nginx.conf) on the local stack: the compose topology on
// loopback with real Postgres, Redis, game-server, event-stream and the production web
// build. What a browser would notice at the single origin.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingArtifacts, missingTools, startStack, type Stack } from '../../scripts/stack/index.mjs';
import { prerequisites } from './support.js';
import { apiAt, type Api } from '../docker/client.js';

const runnable = prerequisites('local stack through nginx', [...missingTools(), ...missingArtifacts()]);

type Json = Record<string, any>;

describe.runIf(runnable)('local stack through nginx', () => {
  let stack: Stack;
  let stateDir: string;
  let base: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'mt-stack-'));
    const t0 = Date.now();
    stack = await startStack({ stateDir });
    base = stack.urls.base;
    console.log(`[stack] up in ${Date.now() - t0} ms at ${base}`);
  });

  afterAll(async () => {
    await stack?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  const api: Api = (...args) => apiAt(base)(...args);

  it('/health is answered by nginx', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/ serves the site with the security headers once each', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/<html/i);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('a /_next/static asset referenced by the page loads with a long cache header and is cached by nginx', async () => {
    const html = await (await fetch(`${base}/`)).text();
    const asset = /\/_next\/static\/[^"'\s]+\.js/.exec(html)?.[0];
    expect(asset, 'page references a /_next/static script').toBeDefined();
    const first = await fetch(`${base}${asset}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/javascript/);
    const cc = first.headers.get('cache-control') ?? '';
    expect(Number(/max-age=(\d+)/.exec(cc)?.[1])).toBeGreaterThanOrEqual(31_536_000);
    expect(cc).toContain('immutable');
    expect(first.headers.get('content-encoding')).toBe('gzip');
    await first.arrayBuffer();
    // Another client, another Accept-Encoding: still the one cached copy.
    const second = await fetch(`${base}${asset}`, { headers: { 'accept-encoding': 'identity' } });
    expect(second.status).toBe(200);
    expect(second.headers.get('x-cache-status')).toBe('HIT');
    expect(second.headers.get('cache-control')).toBe(cc);
  });

  it('/api/ reaches the game server', async () => {
    const agents = await api('GET', '/api/agents');
    expect(agents.status).toBe(200);
    expect(agents.json.agents.map((a: Json) => a.id)).toContain('championchimp');
    const guest = await api('POST', '/api/players', { name: 'Nginx Tester' });
    expect(guest.status).toBe(201);
    expect(typeof guest.json.token).toBe('string');
  });

  it('a WebSocket on /ws upgrades through nginx and receives the events of a game', async () => {
    const guest = await api('POST', '/api/players', { name: 'Socket Tester' });
    const token = guest.json.token as string;
    const created = await api('POST', '/api/games', { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'mentororangutan' }, seat: 0, rated: false }, token);
    expect(created.status).toBe(201);
    const game = created.json.game as Json;

    const ws = new WebSocket(stack.urls.ws);
    const upgraded = new Promise<number>((resolve) => ws.once('upgrade', (res) => resolve(res.statusCode ?? 0)));
    const messages: Json[] = [];
    const waiters: Array<() => void> = [];
    ws.on('message', (data) => {
      messages.push(JSON.parse(String(data)) as Json);
      for (const w of waiters.splice(0)) w();
    });
    const waitFor = async (pred: (m: Json) => boolean, what: string) => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const hit = messages.find(pred);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no ${what}; got ${JSON.stringify(messages)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 250);
        });
      }
    };
    try {
      expect(await upgraded).toBe(101);
      await waitFor((m) => m.type === 'hello', 'hello');
      const topic = `game:${game.id}`;
      ws.send(JSON.stringify({ type: 'subscribe', topic, sinceSeq: game.seq }));
      await waitFor((m) => m.type === 'subscribed' && m.topic === topic, 'subscribed');
      const moved = await api('POST', `/api/games/${game.id}/moves`, { move: { cell: 4 }, expectedSeq: game.seq }, token);
      expect(moved.status).toBe(200);
      const event = await waitFor((m) => m.type === 'event' && m.topic === topic && m.seq === moved.json.seq, 'event of our move');
      expect(event.seq).toBe(game.seq + 1);
      // The agent answers: its move arrives on the same socket, next in sequence.
      const reply = await waitFor((m) => m.type === 'event' && m.topic === topic && m.seq > moved.json.seq, "the agent's move");
      expect(reply.seq).toBeGreaterThan(event.seq);
    } finally {
      ws.close();
    }
  });

  it('an oversize body is refused by nginx with a JSON 413', async () => {
    const res = await fetch(`${base}/api/players`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(200_000) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as Json).error.code).toBe('payload_too_large');
  });

  it('restart() brings a SIGKILLed event-stream back behind nginx', async () => {
    await stack.kill('event-stream', 'SIGKILL');
    const down = await new Promise<number>((resolve) => {
      const probe = new WebSocket(stack.urls.ws);
      probe.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      probe.once('open', () => resolve(101));
      probe.once('error', () => resolve(-1));
    });
    expect(down).toBe(502);
    await stack.restart('event-stream');
    const ws = new WebSocket(stack.urls.ws);
    const hello = await new Promise<Json>((resolve, reject) => {
      ws.once('message', (d) => resolve(JSON.parse(String(d)) as Json));
      ws.once('error', reject);
    });
    ws.close();
    expect(hello.type).toBe('hello');
  });

  it('rate limits per real client IP (X-Forwarded-For from a trusted proxy)', async () => {
    const burst = async (client: string, n: number) =>
      Promise.all(
        Array.from({ length: n }, async () => {
          const res = await fetch(`${base}/api/agents`, { headers: { 'x-forwarded-for': client } });
          return { status: res.status, body: await res.text() };
        }),
      );
    const flooded = await burst('198.51.100.7', 150);
    const limited = flooded.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(flooded.some((r) => r.status === 200)).toBe(true);
    expect(flooded.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    // A different client, same TCP peer (this test): its own bucket.
    const other = await burst('198.51.100.8', 1);
    expect(other[0]!.status).toBe(200);
  });
  // Last: it stops the stack. A leak here leaves servers running after every test run.
  it('stop() stops every process it started (nginx, web, event-stream, game-server, redis, postgres)', async () => {
    const pids = Object.entries(stack.pids);
    expect(pids.map(([name]) => name).sort()).toEqual(expect.arrayContaining(['event-stream', 'game-server', 'nginx', 'redis', 'web']));
    await stack.stop();
    const alive = (pid: number | undefined) => {
      if (pid === undefined) return false;
      try {
        process.kill(pid, 0);
        return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); // a zombie has exited
      } catch {
        return false;
      }
    };
    expect(pids.filter(([, pid]) => alive(pid))).toEqual([]);
  });
});
