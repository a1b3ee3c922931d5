// `npm run bench [-- flags]`: Monkeytown's benchmarks (docs/performance.md).
//   --selfplay --versus-ai --fanout --api --cold-start   pick scenarios (default: all)
//   --seam         issue 22's seam (2 game-servers, 2 event-streams, one hot game): only when asked
//   --quick        small sizes, finishes in under two minutes
//   --profile      self-play with the game-server under --cpu-prof; prints the top costs
//   --compare REF  self-play against REF's server and this tree's, alternating; new/old ratios
//   --topologies embedded,real,nginx   --games 50,500,2000   --seconds N   --runs N
// Servers run as separate processes from server/dist (run `npm run build` first) on a
// database of their own (BENCH_DATABASE_URL or TEST_DATABASE_URL) and a redis-server of
// their own; everything is on loopback and every loop is bounded in count and time.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { baseDatabaseUrl, type TopologyName } from './lib/infra.js';
import { requireDist, RESULTS_DIR } from './lib/proc.js';
import { selfPlay } from './sections/selfplay.js';
import { versusAi } from './sections/versus-ai.js';
import { fanout } from './sections/fanout.js';
import { apiReads } from './sections/api.js';
import { coldStart } from './sections/cold-start.js';
import { profileSelfPlay } from './sections/profile.js';
import { compare } from './sections/compare.js';
import { seam } from './sections/seam.js';

const { values } = parseArgs({
  options: {
    selfplay: { type: 'boolean', default: false },
    'versus-ai': { type: 'boolean', default: false },
    fanout: { type: 'boolean', default: false },
    api: { type: 'boolean', default: false },
    'cold-start': { type: 'boolean', default: false },
    seam: { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    compare: { type: 'string' },
    quick: { type: 'boolean', default: false },
    topologies: { type: 'string' },
    games: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    runs: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('usage: npm run bench -- [--selfplay] [--versus-ai] [--fanout] [--api] [--cold-start] [--seam] [--all] [--quick] [--profile]\n' +
    '       [--compare <git-ref>] [--topologies embedded,real,nginx] [--games 50,500,2000] [--seconds N] [--warmup N] [--runs N] [--out file.json]');
  process.exit(0);
}
const picked = (['selfplay', 'versus-ai', 'fanout', 'api', 'cold-start', 'seam'] as const).filter((k) => values[k]);
const scenarios = values.all || (picked.length === 0 && !values.profile && !values.compare) ? ['selfplay', 'versus-ai', 'fanout', 'api', 'cold-start'] : picked;
const quick = values.quick;

export interface Opts {
  quick: boolean;
  hasPostgres: boolean;
  topologies: TopologyName[];
  games: number[];
  seconds: number;
  /** Self-play: seconds played before the measured window opens (not counted). */
  warmup: number;
  runs: number;
}
const hasPostgres = Boolean(baseDatabaseUrl());
if (!hasPostgres && values.topologies && values.topologies !== 'embedded') {
  console.log('NOTE: the real and nginx topologies need BENCH_DATABASE_URL or TEST_DATABASE_URL: skipped');
}
const opts: Opts = {
  quick,
  hasPostgres,
  topologies: (values.topologies?.split(',') ?? (values.compare ? ['real', 'embedded'] : ['embedded', 'real', 'nginx'])).filter((t) => hasPostgres || t === 'embedded') as TopologyName[],
  games: values.games?.split(',').map(Number) ?? (quick ? [10, 50] : [50, 500, 2000]),
  seconds: Number(values.seconds ?? (quick ? 3 : 15)),
  warmup: Number(values.warmup ?? (quick ? 0 : 2)),
  runs: Number(values.runs ?? (quick || values.compare ? 1 : 2)),
};

function machine() {
  let pg = 'unknown';
  try {
    pg = execFileSync('psql', ['--version'], { encoding: 'utf8' }).trim();
  } catch { /* not on PATH */ }
  return {
    nproc: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version, platform: `${os.type()} ${os.release()}`, postgresClient: pg, loadavgAtStart: os.loadavg(),
  };
}

/** Open-file limit of this process (children inherit it): 2000 games need ~4 sockets + 1 HTTP connection each. */
function checkFileLimit(): void {
  let soft = Infinity;
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    soft = Number(line?.split(/\s{2,}/)[1]);
  } catch { /* not Linux */ }
  const need = Math.max(...opts.games, quick ? 0 : 2500) * 3 + 2000;
  if (Number.isFinite(soft) && soft < need) {
    console.log(`WARNING: open-file limit ${soft} < ~${need} needed: run \`ulimit -n ${need}\` first (connections will fail otherwise)`);
  }
}

async function main(): Promise<void> {
  requireDist();
  checkFileLimit();
  const started = new Date();
  const report: Record<string, unknown> = { startedAt: started.toISOString(), quick, machine: machine(), options: opts };
  console.log(`Monkeytown bench ${quick ? '(quick) ' : ''}— ${[...scenarios, ...(values.compare ? [`compare ${values.compare}`] : []), ...(values.profile ? ['profile'] : [])].join(', ')}`);
  console.log(`machine: ${os.cpus().length} cpus, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (!hasPostgres) console.log('NOTE: no BENCH_DATABASE_URL / TEST_DATABASE_URL: only the embedded topology runs; api and Postgres cold start are skipped');
  const t0 = performance.now();
  const sections: Record<string, (o: Opts) => Promise<unknown>> = {
    selfplay: selfPlay, 'versus-ai': versusAi, fanout, api: apiReads, 'cold-start': coldStart, seam,
  };
  for (const s of scenarios) {
    const ts = performance.now();
    try {
      report[s] = await sections[s]!(opts);
    } catch (err) {
      console.error(`\n[${s}] FAILED: ${(err as Error).stack ?? err}`);
      report[s] = { error: String((err as Error).message) };
      process.exitCode = 1;
    }
    console.log(`   (${s}: ${((performance.now() - ts) / 1000).toFixed(1)} s, load ${os.loadavg()[0]!.toFixed(1)})`);
  }
  if (values.compare) report.compare = await compare(opts, values.compare);
  if (values.profile) report.profile = await profileSelfPlay(opts);
  report.totalSec = (performance.now() - t0) / 1000;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = values.out ?? path.join(RESULTS_DIR, `bench-${quick ? 'quick-' : ''}${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(`\ntotal ${(report.totalSec as number).toFixed(1)} s; results: ${path.relative(process.cwd(), file)}`);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
