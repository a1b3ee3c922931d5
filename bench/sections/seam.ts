// Issue 22's seam: two game-server and two event-stream processes (server/dist) on one
// database and one redis-server, the load of server/test/delivery (two players moving
// one chess game in turn and six chat writers on it, every request to the replicas in
// turn; 50 other games), and how long a move's event takes from its 200 answer to a
// watcher's socket. Targets (acceptance 2): p99 ≤ 100 ms, max ≤ 300 ms, and no gap,
// resync or duplicate anywhere.
import path from 'node:path';
import { freePort } from '@monkeytown/test-support';
import { createDatabase, serverEnv, startRedis } from '../lib/infra.js';
import { distDir, startProc, waitReady, type ServerProc } from '../lib/proc.js';
import { fmt } from '../lib/stats.js';
import { printTable } from '../lib/table.js';
import { ISSUE_22_LOAD, runSeam, type SeamResult } from '../../server/test/delivery/seam.js';
import type { Opts } from '../run.js';

const P99_TARGET_MS = 100;
const MAX_TARGET_MS = 300;

async function startReplicas(): Promise<{ gs: string[]; es: string[]; redisUrl: string; stop(): Promise<void> }> {
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  };
  try {
    const db = await createDatabase();
    cleanups.push(() => db.drop());
    const redis = await startRedis('seam');
    cleanups.push(() => redis.stop());
    // As the test: a lobby row for every move, so lobby rows of one game race between replicas.
    const env = { NODE_ENV: 'production', DATABASE_URL: db.url, REDIS_URL: redis.url, LOBBY_MOVE_UPDATE_MS: '0', LOG_LEVEL: 'warn' };
    const start = async (name: 'game-server' | 'event-stream', i: number): Promise<string> => {
      const port = await freePort();
      const p: ServerProc = startProc(`seam-${name}-${i}`, process.execPath, [path.join(distDir(), `${name}.js`)], serverEnv({ ...env, PORT: String(port) }));
      cleanups.push(() => p.stop());
      await waitReady(p, `http://127.0.0.1:${port}/health/ready`, 60_000);
      return name === 'game-server' ? `http://127.0.0.1:${port}` : `ws://127.0.0.1:${port}/ws`;
    };
    // The game-servers one after the other: the first runs the migrations.
    const gs = [await start('game-server', 0), await start('game-server', 1)];
    const es = await Promise.all([start('event-stream', 0), start('event-stream', 1)]);
    return { gs, es, redisUrl: redis.url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export async function seam(opts: Opts): Promise<SeamResult[] | { skipped: string }> {
  if (!opts.hasPostgres) {
    console.log('\n## Seam: skipped (needs Postgres: BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    return { skipped: 'no database URL' };
  }
  const top = await startReplicas();
  const results: SeamResult[] = [];
  try {
    for (let run = 1; run <= (opts.quick ? 1 : opts.runs); run++) {
      // The test's load; a quick run halves the writes and plays 20 other games.
      results.push(await runSeam(top, opts.quick ? { ...ISSUE_22_LOAD, writes: 400, otherGames: 20 } : ISSUE_22_LOAD));
    }
  } finally {
    await top.stop();
  }
  const sum = (r: SeamResult, f: (w: SeamResult['watchers'][number]) => number) => r.watchers.reduce((a, w) => a + f(w), 0);
  printTable(`Seam: a move's 200 answer → its event on a watcher's socket (2 game-servers, 2 event-streams, 8 watchers; ms; targets p99 ≤ ${P99_TARGET_MS}, max ≤ ${MAX_TARGET_MS})`,
    ['run', 'events', 'moves', 'chat', 'write s', 'move p50', 'move p99', 'move max', 'all p99', 'all max', 'lost (stream)', 'gaps', 'resyncs', 'dups', 'out of order', 'lobby older', 'harness lag max'],
    results.map((r, i) => [i + 1, r.events, r.writers.moves, r.writers.chats, fmt(r.writeSeconds), fmt(r.latency.moves.p50), fmt(r.latency.moves.p99), fmt(r.latency.moves.max),
      fmt(r.latency.all.p99), fmt(r.latency.all.max), r.stream.missing.length, sum(r, (w) => w.missing + w.lobby.gaps), sum(r, (w) => w.resyncs.game + w.resyncs.lobby),
      sum(r, (w) => w.duplicates), sum(r, (w) => w.outOfOrder + w.lobby.outOfOrder), sum(r, (w) => w.lobby.olderState), fmt(r.harnessLoopDelayMs.max)]),
    [
      'gaps: events a watcher never got (summed over watchers) plus lobby seq jumps; resyncs: game + lobby, summed over watchers; lobby older: rows showing an older state of a game than one already shown',
      'harness lag: the load generator\'s own event-loop delay (a busy machine inflates every latency by up to this much)',
      ...results.map((r, i) => {
        const ok = r.latency.moves.p99 <= P99_TARGET_MS && r.latency.moves.max <= MAX_TARGET_MS;
        return `run ${i + 1}: ${ok ? 'within' : 'OUTSIDE'} the targets; ${r.background.games} other games finished (${r.background.errors.length} errors)`;
      }),
    ]);
  return results;
}
