// Does chess make the game-server start slower? spawn → first 200 from /health/ready of
// server/dist/game-server.js on a migrated Postgres database, and the CPU the process
// used until then (less sensitive to other load than the wall time), alternating this
// tree's build with another commit's (bench/compare/build.ts) in one invocation.
//   TEST_DATABASE_URL=... npx tsx bench/ai/cold-start.ts --compare <git-ref> [--runs 5]
import { loadavg } from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/stack/procs.mjs';
import { buildRef } from '../compare/build.js';
import { createDatabase, serverEnv, startRedis } from '../lib/infra.js';
import { distDir, procStats, startProc, waitReady } from '../lib/proc.js';
import { summarize } from '../lib/stats.js';

const argv = process.argv.slice(2);
const opt = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const RUNS = Number(opt('--runs') ?? 5);
const COMPARE = opt('--compare');

const variants = [{ label: 'this', dist: distDir() }];
if (COMPARE) variants.unshift({ label: COMPARE, dist: buildRef(COMPARE).dist });

const redis = await startRedis('cold-chess');
const db = await createDatabase();
const runs = new Map<string, { ms: number[]; cpu: number[] }>(variants.map((v) => [v.label, { ms: [], cpu: [] }]));
try {
  const port = await freePort();
  const env = serverEnv({ NODE_ENV: 'production', PORT: String(port), DATABASE_URL: db.url, REDIS_URL: redis.url, LOG_LEVEL: 'warn' });
  // One start first: it migrates the database; the timed starts find it migrated.
  for (let i = -1; i < RUNS; i++) {
    for (const v of variants) {
      const p = startProc(`cold-${v.label}`, process.execPath, [path.join(v.dist, 'game-server.js')], env);
      try {
        const ms = await waitReady(p, `http://127.0.0.1:${port}/health/ready`, 60_000, 5);
        const cpu = procStats(p.pid)?.cpuSec ?? NaN;
        if (i >= 0) {
          runs.get(v.label)!.ms.push(ms);
          runs.get(v.label)!.cpu.push(cpu * 1000);
        }
      } finally {
        await p.stop();
      }
    }
  }
} finally {
  await db.drop();
  await redis.stop();
}
console.log(`game-server cold start on a migrated database, ${RUNS} runs each, alternating (load ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
for (const [label, r] of runs) {
  const ms = summarize(r.ms);
  const cpu = summarize(r.cpu);
  console.log(`${label.padEnd(10)} spawn → ready median ${ms.p50.toFixed(0)} ms (min ${Math.min(...r.ms).toFixed(0)}, max ${ms.max.toFixed(0)})   CPU until ready median ${cpu.p50.toFixed(0)} ms (min ${Math.min(...r.cpu).toFixed(0)})`);
}
