// Event-stream fan-out benchmark.
//   npx tsx bench/fanout/run.ts [--quick] [--idle 1000,5000] [--spectators 100,1000,3000] [--events 100] [--interval 100] [--es <event-stream.js>]
//
// Spawns a private redis-server and ONE event-stream process (server/dist/event-stream.js,
// or its TypeScript entry through tsx when not built); this process is the load
// generator (WebSocket clients + the publisher), so the server is measured alone.
//   1. Idle connections: N sockets, each subscribed to the lobby; the event-stream's RSS
//      over its own baseline, per connection.
//   2. One game's events to N spectators: the publisher stamps each event, every
//      spectator records (receive - publish); p50/p99/max over all deliveries.
// Everything is bounded (connection counts, event counts, timeouts) and on loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { freePort } from '@monkeytown/test-support';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { cpuSec, waitHttp } from './es-proc.js';
import type { BusEvent, Topic } from '@monkeytown/shared';
import { createRedisBus } from '../../server/src/bus/index.js';
import { summarize } from '../lib/stats.js';
import { printTable } from '../lib/table.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const list = (name: string, def: number[]) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]!.split(',').map(Number) : def;
};
const IDLE = list('--idle', quick ? [500, 2000] : [1000, 5000]).map((n) => Math.min(n, 8000));
const SPECTATORS = list('--spectators', quick ? [100, 1000] : [100, 1000, 3000]).map((n) => Math.min(n, 8000));
const EVENTS = Math.min(list('--events', [quick ? 30 : 60])[0]!, 1000);
// One event per 100 ms is already far livelier than a human game (a move every few seconds).
const EVENT_INTERVAL_MS = Math.max(1, list('--interval', [100])[0]!);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

function proc(cmd: string, argv: string[], env: Record<string, string> = {}): ChildProcess {
  const c = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(c);
  return c;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1]) / 1024;
}

/** Open `n` sockets (in batches, so the accept queue is not the bottleneck), each subscribed to `topic`. */
async function openMany(url: string, n: number, topic: string, onEvent?: (data: string, at: number) => void): Promise<WebSocket[]> {
  const out: WebSocket[] = [];
  for (let i = 0; i < n; i += 200) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(200, n - i) }, () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url, { perMessageDeflate: false });
          const t = setTimeout(() => reject(new Error('subscribe timeout')), 20_000);
          ws.on('error', reject);
          ws.on('message', (d) => {
            const text = d.toString();
            if (text.startsWith('{"type":"subscribed"')) {
              clearTimeout(t);
              resolve(ws);
            } else if (onEvent && text.includes('"type":"event"')) onEvent(text, performance.now());
          });
          ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', topic })));
        }),
      ),
    );
    out.push(...batch);
  }
  return out;
}

async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(sockets.map((ws) => new Promise<void>((r) => (ws.readyState === WebSocket.CLOSED ? r() : (ws.once('close', () => r()), ws.close())))));
}

async function main(): Promise<void> {
  const redisPort = await freePort();
  proc('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  const esPort = await freePort();
  // --es <file>: another build's event-stream.js (e.g. $TMPDIR/mt-bench-ref-<sha>/server/dist/event-stream.js from --compare).
  const esArg = args.indexOf('--es');
  const dist = esArg >= 0 ? path.resolve(args[esArg + 1]!) : path.join(ROOT, 'server/dist/event-stream.js');
  const entry = existsSync(dist) ? [dist] : ['--import', 'tsx', path.join(ROOT, 'server/src/bin/event-stream.ts')];
  const es = proc(process.execPath, entry, {
    PORT: String(esPort),
    HOST: '127.0.0.1',
    REDIS_URL: redisUrl,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    SESSION_SECRET: randomUUID() + randomUUID(),
    WS_MAX_CONNECTIONS: '20000',
  });
  await waitHttp(`http://127.0.0.1:${esPort}/health/ready`);
  const url = `ws://127.0.0.1:${esPort}/ws`;
  const bus = createRedisBus({ url: redisUrl, keyPrefix: 'mt:' });
  await sleep(1000);
  const base = rssMiB(es.pid!);
  console.log(`event-stream pid ${es.pid} (${entry[0]!.endsWith('.js') ? 'dist' : 'tsx'}), baseline RSS ${base.toFixed(1)} MiB; ${cpus().length} cpus, load ${loadavg()[0]!.toFixed(2)}`);

  // 1. Idle connections.
  const idleRows: (string | number)[][] = [];
  for (const n of IDLE) {
    const before = rssMiB(es.pid!);
    const sockets = await openMany(url, n, 'lobby');
    await sleep(1500);
    const after = rssMiB(es.pid!);
    idleRows.push([n, before.toFixed(1), after.toFixed(1), (((after - before) * 1024) / n).toFixed(1)]);
    await closeAll(sockets);
    await sleep(1000);
  }
  printTable('Idle connections (each subscribed to the lobby)', ['connections', 'RSS before MiB', 'RSS after MiB', 'KiB / connection'], idleRows, [
    'RSS of the event-stream process from /proc; includes heap growth not yet collected.',
  ]);

  // 2. One game's events to N spectators.
  const rows: (string | number)[][] = [];
  for (const n of SPECTATORS) {
    const topic = `game:${randomUUID()}` as Topic;
    const at = (seq: number): BusEvent => ({ topic, seq, kind: 'move', data: { sentAt: performance.now(), pad: 'x'.repeat(200) }, at: new Date().toISOString() });
    await bus.publish([at(1)]); // the game exists
    const latencies: number[] = [];
    const sockets = await openMany(url, n, topic, (text, recvAt) => {
      const m = /"sentAt":([0-9.]+)/.exec(text);
      if (m) latencies.push(recvAt - Number(m[1]));
    });
    const cpu0 = cpuSec(es.pid!);
    const t0 = performance.now();
    for (let seq = 2; seq <= EVENTS + 1; seq++) {
      await bus.publish([at(seq)]);
      await sleep(EVENT_INTERVAL_MS);
    }
    const expected = n * EVENTS;
    const deadline = Date.now() + 30_000;
    while (latencies.length < expected && Date.now() < deadline) await sleep(20);
    const wall = (performance.now() - t0) / 1000;
    const cpuUsed = cpuSec(es.pid!) - cpu0;
    const cpu = (cpuUsed / wall) * 100;
    const s = summarize(latencies);
    const usPerMsg = latencies.length ? ((cpuUsed * 1e6) / latencies.length).toFixed(1) : '-';
    rows.push([n, EVENTS, `${latencies.length}/${expected}`, s.p50.toFixed(1), s.p99.toFixed(1), s.max.toFixed(1), Math.round(expected / wall), cpu.toFixed(0), usPerMsg]);
    await closeAll(sockets);
    await sleep(500);
  }
  printTable(
    `One game's events to N spectators (${EVENTS} events, one every ${EVENT_INTERVAL_MS} ms, ~0.3 KiB each)`,
    ['spectators', 'events', 'delivered', 'p50 ms', 'p99 ms', 'max ms', 'msgs/s', 'ES CPU %', 'ES CPU µs/msg'],
    rows,
    [
      'Latency = publish (Redis) → event-stream → socket → parsed by the load generator (same clock).',
      'The load generator shares the cores; its own parsing is part of the latency. ES CPU µs/msg is the',
      "server's own cost per delivered message (CPU time from /proc / deliveries), independent of that.",
    ],
  );
  await bus.close();
  es.kill('SIGTERM');
  await sleep(500);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
