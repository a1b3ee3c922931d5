// Scenario 3, fan-out on one event-stream process (real topology: Redis bus):
//  a) N idle sockets: the event-stream's RSS per connection;
//  b) one game's events to N spectators: move request sent → each spectator's socket
//     receives the event (p50/p99 over every spectator × move).
// Spectators are bare `ws` sockets that only JSON.parse: with thousands of them in one
// load-generator process the typed client's per-message validation would be the
// bottleneck measured, not the server. The players use the REST API.
import WebSocket from 'ws';
import { gameTopic } from '@monkeytown/shared';
import { Api, pool } from '../lib/http.js';
import { createPlayers } from '../lib/players.js';
import { clientCpu, procStats, ProcSampler, sleep } from '../lib/proc.js';
import { summarize, type Summary } from '../lib/stats.js';
import type { Topology } from '../lib/infra.js';

type Sock = { ws: WebSocket; last?: number; onEvent?: (seq: number, at: number) => void; subscribed?: () => void };

function open(url: string, timeoutMs = 30_000): Promise<Sock> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const s: Sock = { ws };
    const t = setTimeout(() => { ws.terminate(); reject(new Error('connect timeout')); }, timeoutMs);
    ws.on('error', (err) => { clearTimeout(t); reject(err); });
    ws.on('message', (raw) => {
      const at = performance.now();
      const m = JSON.parse(String(raw)) as { type: string; seq?: number };
      if (m.type === 'hello') {
        clearTimeout(t);
        resolve(s);
      } else if (m.type === 'event') s.onEvent?.(m.seq!, at);
      else if (m.type === 'subscribed') s.subscribed?.();
    });
  });
}

async function openMany(url: string, n: number): Promise<Sock[]> {
  return pool(Array.from({ length: n }), 200, () => open(url));
}

function closeAll(socks: Sock[]): Promise<void> {
  return new Promise((resolve) => {
    let left = socks.length;
    if (!left) return resolve();
    const t = setTimeout(resolve, 10_000);
    for (const s of socks) {
      s.ws.once('close', () => { if (--left === 0) { clearTimeout(t); resolve(); } });
      s.ws.terminate();
    }
  });
}

export interface IdleResult { sockets: number; connectSec: number; rssBeforeMiB: number; rssAfterMiB: number; kibPerConnection: number; esCpuSec: number }

export async function runIdle(top: Topology, n: number): Promise<IdleResult> {
  const es = top.procs.find((p) => p.name === 'event-stream')!;
  await sleep(500);
  const before = procStats(es.pid)!;
  const t0 = performance.now();
  const socks = await openMany(top.ws, n);
  const connectSec = (performance.now() - t0) / 1000;
  await sleep(1000); // let allocation settle
  const after = procStats(es.pid)!;
  await closeAll(socks);
  return {
    sockets: n, connectSec, rssBeforeMiB: before.rssMiB, rssAfterMiB: after.rssMiB,
    kibPerConnection: ((after.rssMiB - before.rssMiB) * 1024) / n, esCpuSec: after.cpuSec - before.cpuSec,
  };
}

export interface SpectatorResult { spectators: number; events: number; deliveries: number; missing: number; outOfOrder: number; latencyMs: Summary; clientCpuSec: number; server: Record<string, { cpuSec: number; peakRssMiB: number; hwmMiB: number }> }

// A drawn tic-tac-toe game: 9 moves, no line for either side.
const DRAW = [0, 1, 2, 4, 3, 5, 7, 6, 8];

export async function runSpectators(top: Topology, n: number, playerBase: number): Promise<SpectatorResult> {
  const api = new Api(top.api);
  const [a, b] = await createPlayers(api, playerBase, 2, 'fan');
  const created = await api.post('/api/games', { type: 'tictactoe', opponent: { kind: 'open' }, seat: 0 }, a);
  const id: string = created.body.game.id;
  const joined = await api.post(`/api/games/${id}/join`, {}, b);
  let seq: number = joined.body.game.seq;
  const socks = await openMany(top.ws, n);
  const topic = gameTopic(id);
  await pool(socks, 500, (s) => new Promise<void>((resolve) => {
    const t = setTimeout(resolve, 15_000);
    s.subscribed = () => { clearTimeout(t); resolve(); };
    s.ws.send(JSON.stringify({ type: 'subscribe', topic, sinceSeq: seq }));
  }));
  const latencies: number[] = [];
  let missing = 0;
  let outOfOrder = 0;
  const sampler = new ProcSampler(top.procs);
  const cpu = clientCpu();
  sampler.begin();
  for (let m = 0; m < DRAW.length; m++) {
    const want = seq + 1;
    let left = n;
    const sentAt = performance.now();
    const all = new Promise<void>((resolve) => {
      const t = setTimeout(() => { missing += left; resolve(); }, 15_000);
      for (const s of socks) {
        s.onEvent = (eseq, at) => {
          if (s.last !== undefined && eseq <= s.last) outOfOrder++; // duplicate or old: must not happen
          s.last = Math.max(s.last ?? 0, eseq);
          if (eseq !== want) return;
          latencies.push(at - sentAt);
          if (--left === 0) { clearTimeout(t); resolve(); }
        };
      }
    });
    const r = await api.post(`/api/games/${id}/moves`, { move: { cell: DRAW[m] }, expectedSeq: seq }, m % 2 === 0 ? a : b);
    if (r.status !== 200) throw new Error(`fan-out move -> ${r.status}`);
    await all;
    seq = want;
  }
  const clientCpuSec = cpu();
  const server = sampler.end();
  await closeAll(socks);
  api.close();
  return { spectators: n, events: DRAW.length, deliveries: latencies.length, missing, outOfOrder, latencyMs: summarize(latencies), clientCpuSec, server };
}
