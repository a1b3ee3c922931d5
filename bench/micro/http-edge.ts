// Micro-benchmark of the game-server's HTTP edge: the real Fastify app (every plugin,
// hook and schema, bench/micro/http-edge-server.ts) over stub services, driven with
// POST /api/games/:id/moves as self-play sends it (keep-alive, bearer token,
// X-Forwarded-For, 50 in flight). Prints the server process's CPU per request, which is
// what the edge costs a move. `npx tsx bench/micro/http-edge.ts [--compare <git-ref>]`:
// with a ref, that commit's server/src (as --compare builds it, with its own
// node_modules) and this tree's run in one invocation, alternating. EDGE_RUNS (3), EDGE_REQUESTS (20000), EDGE_REDIS_URL
// (or TEST_REDIS_URL: the rate limits shared through Redis, as on the real topology),
// EDGE_CPU_PROF=<dir> (a .cpuprofile of each server).
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildRef } from '../compare/build.js';
import { Api } from '../lib/http.js';
import { REPO } from '../lib/infra.js';
import { fmt, median } from '../lib/stats.js';
import { printTable } from '../lib/table.js';

const RUNS = Number(process.env.EDGE_RUNS ?? 3);
const REQUESTS = Number(process.env.EDGE_REQUESTS ?? 20_000);
const IN_FLIGHT = 50;
const GAME_ID = '8f14e45f-ceea-467f-a8f5-0a1b2c3d4e5f';
const results = path.join(REPO, 'bench/results');
mkdirSync(results, { recursive: true });

/** server/src of a git ref, in --compare's build of it (its own node_modules: dependencies may differ). */
const sourceOf = (ref: string) => path.join(path.dirname(buildRef(ref).dist), 'src');

const cpuOf = (child: ChildProcess) =>
  new Promise<number>((resolve) => {
    child.once('message', (m: { cpu: NodeJS.CpuUsage }) => resolve(m.cpu.user + m.cpu.system));
    child.send('cpu');
  });

async function measure(label: string, src: string): Promise<{ usPerReq: number; reqPerSec: number; load: number }> {
  const log = openSync(path.join(results, `edge-${label}.log`), 'w');
  const child = fork(path.join(REPO, 'bench/micro/http-edge-server.ts'), [], {
    execArgv: ['--import', 'tsx', ...(process.env.EDGE_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.EDGE_CPU_PROF] : [])],
    stdio: ['ignore', log, log, 'ipc'],
    env: {
      ...process.env, NODE_ENV: 'production', EDGE_SERVER_SRC: src, LOG_LEVEL: 'info', TRUST_PROXY: '127.0.0.1', SESSION_SECRET: 'bench-edge-secret-that-is-at-least-32-characters',
      EDGE_REDIS_URL: process.env.EDGE_REDIS_URL ?? process.env.TEST_REDIS_URL ?? '',
      REDIS_KEY_PREFIX: `mt-bench-edge:${process.pid}:`,
      RATE_LIMIT_IP_PER_MIN: '10000000', RATE_LIMIT_PLAYER_PER_MIN: '10000000',
    },
  });
  closeSync(log);
  try {
    const { port, token } = await new Promise<{ port: number; token: string }>((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`edge server (${label}) exited ${code}: see bench/results/edge-${label}.log`)));
    });
    const api = new Api(`http://127.0.0.1:${port}`, IN_FLIGHT);
    const drive = async (n: number) => {
      let next = 0;
      await Promise.all(Array.from({ length: IN_FLIGHT }, async (_, k) => {
        const who = { token, ip: `10.0.${k}.1` };
        while (next++ < n) {
          const r = await api.post(`/api/games/${GAME_ID}/moves`, { move: { cell: 1 }, expectedSeq: 5 }, who);
          if (r.status !== 200) throw new Error(`${label}: ${r.status} ${JSON.stringify(r.body)}`);
        }
      }));
    };
    await drive(3000); // warm-up: JIT, pools, sockets
    const c0 = await cpuOf(child);
    const t0 = performance.now();
    await drive(REQUESTS);
    const wall = performance.now() - t0;
    const cpu = (await cpuOf(child)) - c0;
    api.agent.destroy();
    return { usPerReq: cpu / REQUESTS, reqPerSec: (REQUESTS / wall) * 1000, load: os.loadavg()[0]! };
  } finally {
    if (child.connected) {
      child.send('exit');
      await new Promise((r) => child.once('exit', r));
    }
  }
}

const refIdx = process.argv.indexOf('--compare');
const builds: { label: string; src: string }[] = [];
if (refIdx > 0) builds.push({ label: 'old', src: sourceOf(process.argv[refIdx + 1] ?? 'main') });
builds.push({ label: 'new', src: path.join(REPO, 'server/src') });
const rows: string[][] = [];
const per = new Map<string, number[]>();
for (let run = 1; run <= RUNS; run++) {
  const order = run % 2 ? builds : [...builds].reverse();
  for (const b of order) {
    const m = await measure(b.label, b.src);
    per.set(b.label, [...(per.get(b.label) ?? []), m.usPerReq]);
    rows.push([String(run), b.label, fmt(m.reqPerSec, 0), fmt(m.usPerReq, 0), fmt(m.load, 1)]);
  }
}
printTable(`HTTP edge: POST /api/games/:id/moves over stub services, ${REQUESTS} requests per run, ${IN_FLIGHT} in flight`,
  ['run', 'build', 'req/s', 'server CPU µs/req', 'load1'], rows);
const med = (label: string) => median(per.get(label) ?? []);
console.log(builds.map((b) => `${b.label}: median ${fmt(med(b.label), 0)} µs/req`).join(', ') +
  (builds.length > 1 ? `; new/old ${fmt(med('new') / med('old'), 2)}` : ''));
