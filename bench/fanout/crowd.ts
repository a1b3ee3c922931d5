// A crowd arriving at one game, on the event-stream alone (issue 28): old build vs new.
//   npx tsx bench/fanout/crowd.ts [--compare <git-ref>] [--crowd 5000,19000] [--rounds 1]
//                                  [--only old|new] [--concurrency 1000] [--events 60] [--interval 400] [--heartbeat-ms 20000]
//                                  [--bare] [--client raw|ws]
//
// Per build and crowd size N: a private redis-server and one event-stream process
// (server/dist/event-stream.js of this tree; with --compare, that ref's, built by
// bench/compare/build.ts), a game (published on the bus) with its two seated players
// signed in and subscribed, then:
//   1. N anonymous spectators arrive at once: each connects (at most `--concurrency`
//      connecting at a time) and subscribes as soon as it is greeted. Measured: the time
//      until every one is subscribed, until every one shows the exact count (N + 2), and
//      the presence messages the sockets received meanwhile: the figure that does not
//      depend on the machine's load (before issue 28 it grew as N²); the event-stream's
//      RSS per subscribed idle socket;
//   2. `--events` game events, one per `--interval` ms, to all of them (24 s by default,
//      so a round of protocol pings every `--heartbeat-ms` falls inside): delivery
//      latency p50/p99/max, publish → socket. A socket closed by the server (e.g. this
//      overloaded client missed a ping) is counted, not waited for.
// `--bare` adds a bare `ws` server (bare-ws.mjs: greeting and subscribed only) as a floor
// for the arrival time, CPU and RSS per socket. This process is the load generator (one
// thread: with 19,000 sockets its own parsing adds to the latencies; the message counts
// are exact); its sockets are raw-client.ts's unless `--client ws`. Needs `ulimit -n` ≥ N + 100 for
// this process and the event-stream (20,000 here: N ≤ 19,500).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { freePort } from '@monkeytown/test-support';
import { wsProtocols, type BusEvent, type Topic } from '@monkeytown/shared';
import { TokenService } from '../../server/src/auth/tokens.js';
import { createRedisBus } from '../../server/src/bus/index.js';
import { buildRef } from '../compare/build.js';
import { summarize } from '../lib/stats.js';
import { printTable } from '../lib/table.js';
import { cpuSec, waitHttp } from './es-proc.js';
import { rawConnect } from './raw-client.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const CROWDS = (opt('--crowd') ?? '5000').split(',').map((n) => Math.min(Number(n), 19_500));
const ROUNDS = Math.min(Number(opt('--rounds') ?? 1), 5);
const EVENTS = Math.min(Number(opt('--events') ?? 60), 500);
const INTERVAL_MS = Math.max(10, Number(opt('--interval') ?? 400));
const CONCURRENCY = Math.max(1, Number(opt('--concurrency') ?? 1000));
const HEARTBEAT_MS = Math.max(500, Number(opt('--heartbeat-ms') ?? 20_000));
const CLIENT = opt('--client') === 'ws' ? 'ws' : 'raw';
const BARE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bare-ws.mjs');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
function proc(cmd: string, argv: string[], env: Record<string, string> = {}): ChildProcess {
  const c = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(c);
  c.once('exit', () => children.delete(c));
  return c;
}
const rssMiB = (pid: number) => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

/** One socket of the crowd: what it was sent, counted without a full parse. */
interface Sock {
  conn: { send(text: string): void; terminate(): void };
  presence: number;
  spectators: number;
  subscribedAt: number;
  closed: boolean;
  onEvent?: (seq: number, at: number) => void;
}

/** What a socket does with a text message; true on the greeting. */
function onText(s: Sock, text: string, at: number): boolean {
  if (text.startsWith('{"type":"event"')) s.onEvent?.(Number(/"seq":(\d+)/.exec(text)?.[1]), at);
  else if (text.startsWith('{"type":"presence"')) {
    s.presence++;
    s.spectators = Number(/"spectators":(\d+)/.exec(text)?.[1]);
  } else if (text.startsWith('{"type":"subscribed"')) s.subscribedAt = at;
  else if (text.startsWith('{"type":"hello"')) return true;
  return false;
}

/**
 * Connect; with `subscribe`, send it as soon as the server greets. `--client raw` (the
 * default) uses raw-client.ts, `--client ws` the `ws` client (the figures before issue
 * 28's light socket were taken with it: it costs the load generator several times what
 * the server spends per arrival).
 */
function open(url: string, token?: string, subscribe?: string): Promise<Sock> {
  return new Promise((resolve, reject) => {
    const s: Sock = { conn: { send: () => {}, terminate: () => {} }, presence: 0, spectators: -1, subscribedAt: 0, closed: false };
    const t = setTimeout(() => (s.conn.terminate(), reject(new Error('connect timeout'))), 60_000);
    const text = (data: string, at: number) => {
      if (!onText(s, data, at)) return;
      clearTimeout(t);
      if (subscribe) s.conn.send(subscribe);
      resolve(s);
    };
    if (CLIENT === 'raw') {
      const { hostname, port, pathname } = new URL(url);
      s.conn = rawConnect(hostname, Number(port), pathname, wsProtocols(token), {
        open: () => {},
        text,
        close: () => (s.closed = true),
        error: (err) => (clearTimeout(t), reject(err)),
      });
      return;
    }
    const ws = new WebSocket(url, wsProtocols(token), { perMessageDeflate: false });
    s.conn = ws;
    ws.once('close', () => (s.closed = true));
    ws.once('error', (err) => (clearTimeout(t), reject(err)));
    ws.on('message', (raw: Buffer) => text(raw.toString(), performance.now()));
  });
}

/** `n` sockets, at most CONCURRENCY connecting at a time, each subscribing when greeted. */
async function arrive(url: string, n: number, subscribe: string): Promise<Sock[]> {
  const out: Sock[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, async () => {
    while (next < n) {
      next++;
      out.push(await open(url, undefined, subscribe));
    }
  }));
  return out;
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

const event = (topic: Topic, seq: number, kind: string, data: unknown): BusEvent => ({ topic, seq, kind, data, at: new Date().toISOString() } as BusEvent);

interface Result {
  n: number; subscribedKiB: number; allSubscribedMs: number; exactMs: number | null;
  presence: number; playersPresence: number; arrivalCpuMs: number;
  latency: ReturnType<typeof summarize>; missing: number; fanoutCpuUsPerDelivery: number; closed: number;
}

async function runBuild(esJs: string, n: number): Promise<Result> {
  const redisPort = await freePort();
  const redis = proc('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  const esPort = await freePort();
  const secret = randomUUID() + randomUUID();
  const es = proc(process.execPath, [esJs], {
    PORT: String(esPort), HOST: '127.0.0.1', REDIS_URL: redisUrl, LOG_LEVEL: 'warn', NODE_ENV: 'production',
    SESSION_SECRET: secret, WS_HEARTBEAT_MS: String(HEARTBEAT_MS),
  });
  const bus = createRedisBus({ url: redisUrl, keyPrefix: 'mt:' });
  const socks: Sock[] = [];
  const players: Sock[] = [];
  try {
    await waitHttp(`http://127.0.0.1:${esPort}/health/ready`);
    const url = `ws://127.0.0.1:${esPort}/ws`;
    if (esJs === BARE) return await bareArrival(es.pid!, url, n, socks);
    const topic = `game:${randomUUID()}` as Topic;
    const [X, O] = [randomUUID(), randomUUID()];
    await bus.publish([event(topic, 1, 'game.created', { game: { id: topic.slice(5) } })]);
    await bus.setSeats(topic, [X, O]);
    const tokens = new TokenService(secret);
    players.push(...(await Promise.all([X, O].map(async (id) => open(url, await tokens.sign(id))))));
    for (const p of players) p.conn.send(JSON.stringify({ type: 'subscribe', topic, sinceSeq: 1 }));
    await until(() => players.every((p) => p.spectators === 2), 10_000);
    await sleep(500);
    const rss0 = rssMiB(es.pid!);
    // 1. The crowd arrives at once.
    const p0 = players.reduce((a, p) => a + p.presence, 0);
    const cpu0 = cpuSec(es.pid!);
    const t0 = performance.now();
    socks.push(...(await arrive(url, n, JSON.stringify({ type: 'subscribe', topic, sinceSeq: 1 }))));
    await until(() => socks.every((s) => s.subscribedAt > 0 || s.closed), 120_000);
    const allSubscribedMs = Math.max(...socks.map((s) => s.subscribedAt)) - t0;
    const exact = await until(() => socks.every((s) => s.spectators === n + 2 || s.closed), 60_000);
    const exactMs = exact ? performance.now() - t0 : null;
    await sleep(1000); // anything still on its way
    const arrivalCpuMs = (cpuSec(es.pid!) - cpu0) * 1000;
    const presence = socks.reduce((a, s) => a + s.presence, 0);
    const playersPresence = players.reduce((a, p) => a + p.presence, 0) - p0;
    const rss2 = rssMiB(es.pid!);
    const closedInArrival = socks.filter((s) => s.closed).length;
    console.log(`   [${n}] arrival: ${presence} presence messages, all subscribed ${allSubscribedMs.toFixed(0)} ms, exact ${exactMs?.toFixed(0) ?? '—'} ms, ${closedInArrival} closed`);
    // 2. Events to all of them, heartbeats running.
    const latencies: number[] = [];
    let missing = 0;
    const cpu1 = cpuSec(es.pid!);
    for (let seq = 2; seq < 2 + EVENTS; seq++) {
      const open = socks.filter((s) => !s.closed);
      let left = open.length;
      const sentAt = performance.now();
      const all = new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          missing += left;
          resolve();
        }, 15_000);
        for (const s of open) {
          s.onEvent = (got, at) => {
            if (got !== seq) return;
            latencies.push(at - sentAt);
            if (--left > 0) return;
            clearTimeout(t);
            resolve();
          };
        }
      });
      await bus.publish([event(topic, seq, 'chat', { playerId: X, text: `event ${seq}` })]);
      await Promise.all([all, sleep(INTERVAL_MS)]);
    }
    const fanoutCpuUsPerDelivery = ((cpuSec(es.pid!) - cpu1) * 1e6) / Math.max(1, latencies.length);
    return {
      n, subscribedKiB: ((rss2 - rss0) * 1024) / n, allSubscribedMs, exactMs,
      presence, playersPresence, arrivalCpuMs, latency: summarize(latencies), missing, fanoutCpuUsPerDelivery,
      closed: socks.filter((s) => s.closed).length,
    };
  } finally {
    for (const s of socks) s.conn.terminate();
    for (const p of players) p.conn.terminate();
    await bus.close();
    es.kill('SIGTERM');
    redis.kill('SIGTERM');
    await sleep(500);
  }
}

/** `--bare`: the crowd arrives at a bare ws server (bare-ws.mjs): the floor for time, CPU and RSS per socket. */
async function bareArrival(pid: number, url: string, n: number, socks: Sock[]): Promise<Result> {
  await sleep(500);
  const rss0 = rssMiB(pid);
  const cpu0 = cpuSec(pid);
  const t0 = performance.now();
  socks.push(...(await arrive(url, n, JSON.stringify({ type: 'subscribe', topic: `game:${randomUUID()}`, sinceSeq: 1 }))));
  await until(() => socks.every((s) => s.subscribedAt > 0 || s.closed), 120_000);
  const allSubscribedMs = Math.max(...socks.map((s) => s.subscribedAt)) - t0;
  await sleep(1000);
  return {
    n, subscribedKiB: ((rssMiB(pid) - rss0) * 1024) / n, allSubscribedMs, exactMs: null, presence: 0, playersPresence: 0,
    arrivalCpuMs: (cpuSec(pid) - cpu0) * 1000, latency: summarize([]), missing: 0, fanoutCpuUsPerDelivery: NaN, closed: socks.filter((s) => s.closed).length,
  };
}

async function main(): Promise<void> {
  const ref = opt('--compare');
  const builds: { name: string; js: string }[] = [{ name: 'new', js: path.join(ROOT, 'server/dist/event-stream.js') }];
  if (ref) builds.unshift({ name: 'old', js: path.join(buildRef(ref).dist, 'event-stream.js') });
  // `--only old|new`: one of the two (a large crowd on the old build takes minutes).
  const only = opt('--only');
  if (only) builds.splice(0, builds.length, ...builds.filter((b) => b.name === only));
  if (args.includes('--bare')) builds.push({ name: 'bare ws', js: BARE });
  const rows: (string | number)[][] = [];
  const f = (x: number | null | undefined, d = 0) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d));
  for (const n of CROWDS) {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const b of round % 2 ? builds : [...builds].reverse()) {
        const r = await runBuild(b.js, n);
        rows.push([n, b.name, r.presence, f(r.presence / n, 2), r.playersPresence, f(r.allSubscribedMs), f(r.exactMs), f(r.arrivalCpuMs),
          f(r.subscribedKiB, 1), f(r.latency.p50), f(r.latency.p99), f(r.latency.max), r.missing, r.closed, f(r.fanoutCpuUsPerDelivery, 1), loadavg()[0]!.toFixed(1)]);
        console.log(`   [${n} ${b.name}] ${r.presence} presence messages, all subscribed ${f(r.allSubscribedMs)} ms, load ${loadavg()[0]!.toFixed(1)}`);
      }
    }
  }
  printTable(
    `A crowd arriving at one game at once (${CONCURRENCY} connecting at a time; event-stream alone), then ${EVENTS} events every ${INTERVAL_MS} ms with pings every ${HEARTBEAT_MS} ms`,
    ['crowd', 'build', 'presence msgs', 'per arrival', 'to players', 'all subscribed ms', 'exact count ms', 'es CPU ms',
      'KiB/subscribed', 'event p50', 'p99', 'max', 'missing', 'closed', 'es µs/delivery', 'load1'],
    rows,
    ['presence msgs = presence messages the crowd\'s sockets received from their arrival until every one showed N + 2 (+1 s);',
      'exact count ms = from the first connect until every socket showed it; es CPU = the event-stream\'s during the arrival;',
      'KiB/subscribed = the event-stream\'s RSS growth per socket of the crowd, idle. Timings depend on the load.'],
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
