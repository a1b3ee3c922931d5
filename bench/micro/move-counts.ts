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
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startTopology } from '../lib/infra.js';
import { distDir } from '../lib/proc.js';
import { fmt } from '../lib/stats.js';
import { makePlayers, runSelfPlay } from '../scenarios/selfplay.js';

const { values } = parseArgs({
  options: { games: { type: 'string', default: '50' }, seconds: { type: 'string', default: '5' }, dist: { type: 'string', multiple: true },
    monitor: { type: 'string' } },
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
  const { rows: [w] } = await c.query<{ wal_records: string; wal_bytes: string }>('SELECT wal_records, wal_bytes FROM pg_stat_wal');
  out.set('pg WAL records (cluster-wide)', Number(w!.wal_records));
  out.set('pg WAL bytes (cluster-wide)', Number(w!.wal_bytes));
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

const results: { dist: string; moves: number; perMove: Counts }[] = [];
for (const dist of dists) {
  const top = await startTopology('real', { dist });
  const r = new Redis(top.redisUrl!);
  const url = new URL(top.postgres!.adminUrl);
  url.pathname = `/${top.postgres!.dbName}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    const players = await makePlayers(top, 2 * GAMES);
    const [r0, p0] = [await redisCounts(r), await pgCounts(c)];
    // --monitor <file>: every command Redis runs in the run's second second (scripts' own commands included), for reading by hand.
    const mon = values.monitor ? watch(top.redisUrl!, `${values.monitor}.${results.length + 1}`) : null;
    const res = await runSelfPlay(top, players, GAMES, SECONDS, 0);
    await mon;
    await new Promise((ok) => setTimeout(ok, 1500)); // backends flush their counters when idle (at most once a second while busy)
    const [r1, p1] = [await redisCounts(r), await pgCounts(c)];
    const perMove: Counts = new Map();
    for (const [before, after] of [[r0, r1], [p0, p1]] as const) {
      for (const [k, v] of after) perMove.set(k, (v - (before.get(k) ?? 0)) / res.movesCommitted);
    }
    results.push({ dist, moves: res.movesCommitted, perMove });
    console.log(`${dist}: ${res.movesCommitted} moves, ${fmt(res.movesPerSec, 0)} moves/s, errors ${res.errorTotal}, gaps ${res.gaps}`);
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
