// What Redis and Postgres are asked to do per committed move under self-play on the real
// topology: Redis commands (INFO commandstats, commands run inside scripts included) and
// Postgres statements, tuples and buffer hits (pg_stat_database, pg_stat_user_tables) of
// the bench's own redis-server and database, counted over the whole self-play (game
// creations and joins amortised), for one or more builds' server/dist. Counts, unlike CPU
// on a shared machine, are deterministic enough to compare builds with one run each.
// `npx tsx bench/micro/move-counts.ts [--games 50] [--seconds 5] [--dist <dir>]...`
// (default: this tree's server/dist; `--dist /tmp/mt-bench-ref-<sha12>/server/dist` an
// old build's, as `npm run bench -- --compare` built it). WAL bytes are cluster-wide
// (pg_stat_wal): other databases' writes on a shared server land in them too.
// On a server with pg_stat_statements preloaded (a private cluster: docs/performance.md,
// *Postgres per move*) it also prints each statement's calls, executor time, rows and WAL
// per move. `--phases` starts the game-server with MOVE_PHASE_TIMING=1 and prints where a
// move's time went (games/pipeline/phases.ts), beside the client's answer and latency and
// how busy the machine's cores were.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startTopology } from '../lib/infra.js';
import { readFileSync } from 'node:fs';
import { histogram, scrape, type Samples } from '../lib/metrics.js';
import { readStatements, resetStatements, shortQuery, statementsAvailable, type StatementRow } from '../lib/pg-statements.js';
import { distDir } from '../lib/proc.js';
import { fmt } from '../lib/stats.js';
import { makePlayers, runSelfPlay } from '../scenarios/selfplay.js';

const { values } = parseArgs({
  options: { games: { type: 'string', default: '50' }, seconds: { type: 'string', default: '5' }, dist: { type: 'string', multiple: true },
    monitor: { type: 'string' }, phases: { type: 'boolean', default: false } },
});
const GAMES = Number(values.games);
const SECONDS = Number(values.seconds);
const dists = values.dist?.length ? values.dist : [distDir()];

type Counts = Map<string, number>;

async function redisCounts(r: Redis): Promise<Counts> {
  const out: Counts = new Map();
  for (const line of (await r.info('commandstats')).split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line);
    if (m) {
      out.set(`redis ${m[1]} calls`, Number(m[2]));
      out.set(`redis ${m[1]} usec`, Number(m[3]));
    }
  }
  const cpu = await r.info('cpu');
  const f = (n: string) => Number(new RegExp(`${n}:([\\d.]+)`).exec(cpu)?.[1] ?? 0);
  out.set('redis cpu usec', (f('used_cpu_sys') + f('used_cpu_user')) * 1e6);
  return out;
}

async function pgCounts(c: pg.Client): Promise<Counts> {
  await c.query('SELECT pg_stat_clear_snapshot()');
  const out: Counts = new Map();
  const { rows: [d] } = await c.query<Record<string, string>>(
    `SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted, blks_hit, blks_read
     FROM pg_stat_database WHERE datname = current_database()`);
  for (const [k, v] of Object.entries(d!)) out.set(`pg db ${k}`, Number(v));
  const { rows: tables } = await c.query<Record<string, string>>(
    `SELECT t.relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, seq_scan, seq_tup_read, idx_scan, idx_tup_fetch,
       heap_blks_hit, idx_blks_hit
     FROM pg_stat_user_tables t JOIN pg_statio_user_tables s USING (relid)`);
  for (const t of tables) {
    for (const [k, v] of Object.entries(t)) if (k !== 'relname') out.set(`pg ${t.relname} ${k}`, Number(v ?? 0));
  }
  const { rows: idx } = await c.query<{ indexrelname: string; idx_scan: string }>('SELECT indexrelname, idx_scan FROM pg_stat_user_indexes');
  for (const i of idx) out.set(`pg index ${i.indexrelname} scans`, Number(i.idx_scan));
  // wal_sync: WAL flushes (fdatasync) by any process — a committing backend's or the WAL writer's.
  const { rows: [w] } = await c.query<Record<string, string>>(
    'SELECT wal_records, wal_fpi, wal_bytes, wal_write, wal_sync, wal_buffers_full FROM pg_stat_wal');
  for (const [k, v] of Object.entries(w!)) out.set(`pg WAL ${k.slice(4)} (cluster-wide)`, Number(v));
  return out;
}

async function watch(url: string, file: string): Promise<void> {
  await new Promise((ok) => setTimeout(ok, 1000));
  const lines: string[] = [];
  const client = new Redis(url);
  const m = await client.monitor();
  m.on('monitor', (time: string, args: string[], source: string) => lines.push(`${time} ${source} ${args.map((a) => a.slice(0, 60)).join(' ')}`));
  await new Promise((ok) => setTimeout(ok, 1000));
  m.disconnect();
  client.disconnect();
  await writeFile(file, lines.join('\n'));
}

/** Busy and total jiffies of the whole machine (/proc/stat: every core, every process). */
function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - f[4]!, total }; // idle, iowait
}

/** Where a move's time went: the pipeline's phases (MOVE_PHASE_TIMING), the move route on the server, the client's view. */
function printPhases(m0: Samples, m1: Samples, res: Awaited<ReturnType<typeof runSelfPlay>>, busy: number): void {
  const diff = (name: string, labels: string) => {
    const [a, b] = [histogram(m0, name, labels), histogram(m1, name, labels)];
    return { n: b.count - a.count, ms: ((b.sum - a.sum) / Math.max(1, b.count - a.count)) * 1000 };
  };
  console.log(`  where a move's time went (means; machine ${fmt(busy * 100, 0)} % busy over both cores; ` +
    `load generator ${fmt((res.clientCpuSec * 1000) / res.movesCommitted, 2)} ms CPU per move):`);
  console.log(`    client: request sent → 200 ${fmt(res.answerMs.mean, 2)} ms (p50 ${fmt(res.answerMs.p50, 2)}); → opponent's event ${fmt(res.latencyMs.mean, 2)} ms (p50 ${fmt(res.latencyMs.p50, 2)})`);
  const route = diff('http_request_duration_seconds', '/games/:id/moves",status="200"');
  console.log(`    game-server, move route (request read → answer written): ${fmt(route.ms, 2)} ms over ${route.n}`);
  for (const phase of ['lane', 'plan', 'statement', 'publish']) {
    const h = diff('monkeytown_move_phase_seconds', `phase="${phase}"`);
    console.log(`      ${phase.padEnd(10)} ${fmt(h.ms, 2).padStart(7)} ms  (${h.n} observed)`);
  }
  // Unlabelled: its count and sum lines carry no braces.
  const unlabelled = (m: Samples, k: string) => m.get(`monkeytown_move_batch_size_${k}`) ?? 0;
  const batches = unlabelled(m1, 'count') - unlabelled(m0, 'count');
  console.log(`    batch size: ${fmt((unlabelled(m1, 'sum') - unlabelled(m0, 'sum')) / Math.max(1, batches), 1)} commands on average over ${batches} batches`);
}

/** Per committed move, per statement (pg_stat_statements), most executor time first. */
function printStatements(rows: StatementRow[], moves: number): void {
  console.log(`  statements per move (pg_stat_statements; exec excludes an autocommit statement's COMMIT):`);
  console.log(`    ${'calls/mv'.padStart(9)}${'exec µs/mv'.padStart(11)}${'µs/call'.padStart(9)}${'rows/call'.padStart(10)}${'WAL B/mv'.padStart(10)}  statement`);
  for (const r of rows.slice(0, 18)) {
    console.log(`    ${fmt(r.calls / moves, 3).padStart(9)}${fmt((r.execMs * 1000) / moves, 1).padStart(11)}${fmt((r.execMs * 1000) / r.calls, 0).padStart(9)}` +
      `${fmt(r.rows / r.calls, 1).padStart(10)}${fmt(r.walBytes / moves, 0).padStart(10)}  ${shortQuery(r.query)}`);
  }
  const all = rows.reduce((a, r) => ({ calls: a.calls + r.calls, exec: a.exec + r.execMs, wal: a.wal + r.walBytes, jit: a.jit + r.jitFunctions }),
    { calls: 0, exec: 0, wal: 0, jit: 0 });
  console.log(`    ${fmt(all.calls / moves, 3).padStart(9)}${fmt((all.exec * 1000) / moves, 1).padStart(11)}${''.padStart(19)}${fmt(all.wal / moves, 0).padStart(10)}` +
    `  (all ${rows.length} statements; ${all.jit} functions JIT-compiled)`);
}

const results: { dist: string; moves: number; perMove: Counts }[] = [];
for (const dist of dists) {
  const top = await startTopology('real', { dist, ...(values.phases ? { env: { MOVE_PHASE_TIMING: '1' } } : {}) });
  const r = new Redis(top.redisUrl!);
  const url = new URL(top.postgres!.adminUrl);
  url.pathname = `/${top.postgres!.dbName}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    const players = await makePlayers(top, 2 * GAMES);
    const statements = await statementsAvailable(c);
    if (statements) await resetStatements(c);
    const m0 = values.phases ? await scrape(`${top.api}/metrics`) : null;
    const [r0, p0, cpu0] = [await redisCounts(r), await pgCounts(c), machineCpu()];
    // --monitor <file>: every command Redis runs in the run's second second (scripts' own commands included), for reading by hand.
    const mon = values.monitor ? watch(top.redisUrl!, `${values.monitor}.${results.length + 1}`) : null;
    const res = await runSelfPlay(top, players, GAMES, SECONDS, 0);
    const cpu1 = machineCpu();
    const m1 = values.phases ? await scrape(`${top.api}/metrics`) : null;
    await mon;
    await new Promise((ok) => setTimeout(ok, 1500)); // backends flush their counters when idle (at most once a second while busy)
    const [r1, p1] = [await redisCounts(r), await pgCounts(c)];
    const perMove: Counts = new Map();
    for (const [before, after] of [[r0, r1], [p0, p1]] as const) {
      for (const [k, v] of after) perMove.set(k, (v - (before.get(k) ?? 0)) / res.movesCommitted);
    }
    results.push({ dist, moves: res.movesCommitted, perMove });
    console.log(`${dist}: ${res.movesCommitted} moves, ${fmt(res.movesPerSec, 0)} moves/s, errors ${res.errorTotal}, gaps ${res.gaps}`);
    if (m0 && m1) printPhases(m0, m1, res, (cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total));
    if (statements) printStatements(await readStatements(c), res.movesCommitted);
  } finally {
    r.disconnect();
    await c.end();
    await top.stop();
  }
}
const keys = [...new Set(results.flatMap((x) => [...x.perMove.keys()]))].sort();
console.log(`\nper committed move (G=${GAMES}, ${SECONDS} s; creations and joins amortised):`);
console.log(['counter'.padEnd(52), ...results.map((_, i) => `build ${i + 1}`.padStart(12))].join(''));
for (const k of keys) {
  const vs = results.map((x) => x.perMove.get(k) ?? 0);
  if (vs.every((v) => Math.abs(v) < 0.005)) continue;
  console.log([k.padEnd(52), ...vs.map((v) => fmt(v, 2).padStart(12))].join(''));
}
results.forEach((x, i) => console.log(`build ${i + 1}: ${x.dist}`));
