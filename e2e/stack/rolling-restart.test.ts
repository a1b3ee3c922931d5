// Issue 17: a rolling restart as a deploy does it, through nginx (the shipped nginx.conf)
// with two replicas each of game-server and event-stream. While simulated players play
// against the AI (REST moves, one WebSocket each subscribed to their games), every
// replica is restarted in turn: taken out of nginx's rotation (reload) as SIGTERM is
// sent, drained (DRAIN_SECONDS), started again, put back. Asserts zero failed requests,
// no lost or duplicated game event, every client back with sinceSeq; prints the figures.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingArtifacts, missingTools, startStack, type ServiceName, type Stack } from '../../scripts/stack/index.mjs';
import { prerequisites } from './support.js';

// No web: only the API and the WebSocket routes are exercised.
const missingWebless = missingArtifacts().filter((f) => !f.includes('web/'));
const runnable = prerequisites('rolling restart through nginx', [...missingTools(), ...missingWebless]);

type Json = Record<string, any>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PLAYERS = 6;
const DRAIN_SECONDS = 2;

interface Figures {
  requests: number;
  failed: Array<{ what: string; detail: string }>;
  latencies: Array<{ at: number; ms: number }>;
  reconnects: number;
  closeCodes: Map<number, number>;
  resumes: number; // subscribe frames sent with sinceSeq after a reconnect
  resent: number; // requests resent after a keep-alive connection closed under them
}

/** One player's WebSocket: reconnects on close and resubscribes every topic with sinceSeq. */
class Socket {
  private ws: WebSocket | null = null;
  readonly seen = new Map<string, number[]>(); // topic -> seqs in arrival order
  private stopped = false;
  constructor(private readonly url: string, private readonly fig: Figures) {}

  last(topic: string): number {
    return this.seen.get(topic)?.at(-1) ?? 0;
  }

  async open(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.connectOnce();
        return;
      } catch (err) {
        this.fig.failed.push({ what: 'ws connect', detail: (err as Error).message });
        await sleep(Math.min(1000, 100 * 2 ** attempt));
      }
    }
  }

  private connectOnce(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
      ws.once('error', reject);
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as Json;
        if (m.type === 'hello') {
          this.ws = ws;
          for (const topic of this.seen.keys()) this.subscribe(topic, this.last(topic), true);
          resolve();
        } else if (m.type === 'event') {
          this.seen.get(m.topic)?.push(m.seq);
        } else if (m.type === 'error' || m.type === 'resync') {
          this.fig.failed.push({ what: `ws ${m.type}`, detail: JSON.stringify(m) });
        }
      });
      ws.once('close', (code) => {
        this.fig.closeCodes.set(code, (this.fig.closeCodes.get(code) ?? 0) + 1);
        if (this.ws !== ws || this.stopped) return;
        this.ws = null;
        this.fig.reconnects++;
        void this.open();
      });
    });
  }

  subscribe(topic: string, sinceSeq: number, resume = false): void {
    if (!this.seen.has(topic)) this.seen.set(topic, []);
    if (resume) this.fig.resumes++;
    this.ws?.send(JSON.stringify({ type: 'subscribe', topic, sinceSeq }));
  }

  close(): void {
    this.stopped = true;
    this.ws?.close();
  }
}

describe.runIf(runnable)('rolling restart through nginx, two replicas of each service', () => {
  let stack: Stack;
  let stateDir: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'mt-rolling-'));
    stack = await startStack({
      stateDir,
      replicas: 2,
      web: false,
      env: {
        DRAIN_SECONDS: String(DRAIN_SECONDS),
        SHUTDOWN_GRACE_MS: '3000',
        LOG_LEVEL: 'warn',
        AI_THINK_DELAY: '0.2',
        RATE_LIMIT_IP_PER_MIN: '100000',
        RATE_LIMIT_PLAYER_PER_MIN: '100000',
        RATE_LIMIT_CREATE_PLAYER_PER_MIN: '10000',
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('restarts every replica one at a time: no failed request, no lost or duplicated event', async () => {
    const fig: Figures = { requests: 0, failed: [], latencies: [], reconnects: 0, closeCodes: new Map(), resumes: 0, resent: 0 };
    const t0 = Date.now();
    const api = async (ip: string, method: string, p: string, body?: unknown, token?: string, resends = 3): Promise<Json | null> => {
      const started = Date.now();
      fig.requests++;
      try {
        const res = await fetch(`${stack.urls.base}${p}`, {
          method,
          headers: {
            'x-forwarded-for': ip, // one rate-limit bucket per simulated player, as in production
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        fig.latencies.push({ at: started - t0, ms: Date.now() - started });
        if (res.status >= 300) fig.failed.push({ what: `${method} ${p}`, detail: `${res.status} ${text.slice(0, 200)}` });
        return res.status < 300 ? (JSON.parse(text) as Json) : null;
      } catch (err) {
        const cause = String((err as { cause?: unknown }).cause ?? err);
        // nginx's reload retires its old workers, which close idle keep-alive connections
        // from clients; a request sent on one at that instant finds it closed before any
        // answer. Browsers resend then (Chromium does, for a reused connection): so do we,
        // on the next pooled connection (it may have been idle across the reload too), and
        // count it. A resent move that had been stored would answer 409: a failure.
        if (resends > 0 && /other side closed|ECONNRESET/.test(cause)) {
          fig.resent++;
          return api(ip, method, p, body, token, resends - 1);
        }
        fig.failed.push({ what: `${method} ${p}`, detail: cause });
        return null;
      }
    };

    let playing = true;
    const games = new Map<string, Socket>(); // game id -> the socket subscribed to it
    const player = async (n: number) => {
      const ip = `198.51.100.${10 + n}`;
      const guest = await api(ip, 'POST', '/api/players', { name: `Roller ${n}` });
      expect(guest, 'guest created').not.toBeNull();
      const token = guest!.token as string;
      const socket = new Socket(stack.urls.ws, fig);
      await socket.open();
      while (playing) {
        const created = await api(ip, 'POST', '/api/games', { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'mentororangutan' }, seat: 0, rated: false }, token);
        if (!created) {
          await sleep(200);
          continue;
        }
        const id = created.game.id as string;
        games.set(id, socket);
        socket.subscribe(`game:${id}`, created.game.seq);
        for (;;) {
          const got = await api(ip, 'GET', `/api/games/${id}`);
          const game = got?.game as Json | undefined;
          if (game?.status === 'finished') break;
          if (game && game.turn === 0 && game.legalMoves.length > 0) {
            await api(ip, 'POST', `/api/games/${id}/moves`, { move: game.legalMoves[0], expectedSeq: game.seq }, token);
          }
          await sleep(100);
        }
      }
      return socket;
    };

    const players = Array.from({ length: PLAYERS }, (_, n) => player(n));
    await sleep(3000); // steady state: the baseline latency
    const restartsFrom = Date.now() - t0;
    const order: ServiceName[] = ['game-server', 'game-server-2', 'event-stream', 'event-stream-2'];
    for (const name of order) {
      await stack.restart(name, { deregister: true });
      await sleep(1000);
    }
    const restartsTo = Date.now() - t0;
    await sleep(2000);
    playing = false;
    const sockets = await Promise.all(players);
    await sleep(1500); // the last events reach the sockets

    // Every game: the socket saw each seq after its subscription exactly once, in order.
    let events = 0;
    const problems: string[] = [];
    let checker = 0;
    for (const [id, socket] of games) {
      const got = await api(`203.0.113.${1 + (checker++ % 200)}`, 'GET', `/api/games/${id}`);
      const finalSeq = got?.game.seq as number;
      const seqs = socket.seen.get(`game:${id}`) ?? [];
      events += seqs.length;
      const first = finalSeq - seqs.length + 1;
      const expected = Array.from({ length: seqs.length }, (_, i) => first + i);
      if (seqs.at(-1) !== finalSeq || seqs.join() !== expected.join() || first < 1) {
        problems.push(`game ${id}: final seq ${finalSeq}, socket saw [${seqs.join(',')}]`);
      }
    }
    for (const s of sockets) s.close();

    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const base = sorted(fig.latencies.filter((l) => l.at < restartsFrom).map((l) => l.ms));
    const during = fig.latencies.filter((l) => l.at >= restartsFrom && l.at <= restartsTo).map((l) => l.ms);
    const p50 = base[Math.floor(base.length / 2)] ?? 0;
    const maxDuring = Math.max(0, ...during);
    console.log(
      `[rolling] ${order.length} replicas restarted one at a time in ${restartsTo - restartsFrom} ms (drain ${DRAIN_SECONDS} s); ` +
        `${fig.requests} requests (${during.length} during the restarts), ${fig.failed.length} failed, ${fig.resent} resent on a closed keep-alive connection; ` +
        `${games.size} games, ${events} game events over WebSocket, ${problems.length} with lost/duplicated/out-of-order events; ` +
        `${fig.reconnects} reconnects (close codes ${JSON.stringify(Object.fromEntries(fig.closeCodes))}), ${fig.resumes} resubscribes with sinceSeq; ` +
        `latency p50 ${p50} ms before, max ${maxDuring} ms during (max added ${Math.max(0, maxDuring - p50)} ms)`,
    );
    expect(fig.failed).toEqual([]);
    expect(problems).toEqual([]);
    expect(games.size).toBeGreaterThanOrEqual(PLAYERS);
    // Both event-streams were restarted: every player's socket was told to move (1012)
    // and came back, resubscribing its games with sinceSeq.
    expect(fig.reconnects).toBeGreaterThanOrEqual(PLAYERS);
    expect([...fig.closeCodes.keys()].filter((c) => c !== 1012 && c !== 1005)).toEqual([]);
    expect(fig.resumes).toBeGreaterThanOrEqual(PLAYERS);
  }, 180_000);
});
