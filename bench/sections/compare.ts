// `npm run bench -- --compare <git-ref>`: the same self-play configurations against the
// given commit's server ("old") and this tree's server/dist ("new"), alternating old/new
// (the order flips every run so neither build always goes first on a machine whose load
// drifts), each run on a fresh topology, and new/old ratios per configuration.
import os from 'node:os';
import { startTopology } from '../lib/infra.js';
import { distDir } from '../lib/proc.js';
import { fmt, median } from '../lib/stats.js';
import { printTable } from '../lib/table.js';
import { makePlayers, runSelfPlay, type SelfPlayResult } from '../scenarios/selfplay.js';
import { buildRef } from '../compare/build.js';
import type { Opts } from '../run.js';
import { ioPerMove, PER_MOVE_HEADERS, perMoveCols, serverCpuTotal } from './common.js';

interface Sample {
  build: 'old' | 'new';
  topology: string;
  games: number;
  run: number;
  load: number;
  r: SelfPlayResult;
}

const totalMsPerMove = (r: SelfPlayResult) => (r.movesCommitted ? (serverCpuTotal(r.server, true) * 1000) / r.movesCommitted : NaN);
const errorsOf = (r: SelfPlayResult) => r.errorTotal + r.gaps;

async function onePlay(topology: Opts['topologies'][number], dist: string, games: number, seconds: number, warmup: number): Promise<SelfPlayResult> {
  const top = await startTopology(topology, { dist });
  try {
    const players = await makePlayers(top, 2 * games);
    return await runSelfPlay(top, players, games, seconds, warmup);
  } finally {
    await top.stop();
  }
}

function failedRun(topology: string, games: number, seconds: number, message: string): SelfPlayResult {
  const none = { n: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  return {
    topology, games, durationSec: seconds, wallSec: seconds, movesCommitted: 0, gamesFinished: 0, movesPerSec: 0,
    latencyMs: none, answerMs: none, errors: { [`setup: ${message}`]: 1 }, errorTotal: 1, gaps: 0, reconnects: 0, clientCpuSec: NaN, server: {},
  };
}

export async function compare(opts: Opts, ref: string): Promise<{ ref: string; sha: string; samples: Sample[] }> {
  const old = buildRef(ref);
  const builds = { old: old.dist, new: distDir() };
  const samples: Sample[] = [];
  const rows: (string | number)[][] = [];
  for (const topology of opts.topologies) {
    for (const games of opts.games) {
      for (let run = 1; run <= opts.runs; run++) {
        const order: ('old' | 'new')[] = run % 2 ? ['old', 'new'] : ['new', 'old'];
        for (const build of order) {
          let r: SelfPlayResult;
          try {
            r = await onePlay(topology, builds[build], games, opts.seconds, opts.warmup);
          } catch (err) {
            // A build that cannot even set the run up (e.g. player creation timing out) is a result too.
            console.log(`   [${topology} G=${games} run ${run} ${build}] FAILED to set up: ${(err as Error).message}`);
            r = failedRun(topology, games, opts.seconds, (err as Error).message);
          }
          const load = os.loadavg()[0]!;
          samples.push({ build, topology, games, run, load, r });
          rows.push([topology, games, run, build, fmt(r.movesPerSec), fmt(r.latencyMs.p50), fmt(r.latencyMs.p99),
            errorsOf(r), ...perMoveCols(r.server, r.movesCommitted), fmt(load)]);
          console.log(`   [${topology} G=${games} run ${run} ${build}] ${fmt(r.movesPerSec)} moves/s, p50 ${fmt(r.latencyMs.p50)} ms, ` +
            `${fmt(totalMsPerMove(r), 2)} ms CPU/move, errors ${errorsOf(r)}${r.errorTotal ? ` ${JSON.stringify(r.errors)}` : ''}, load ${fmt(load)}`);
          console.log(`      per move: ${ioPerMove(r.server, r.movesCommitted)}`);
        }
      }
    }
  }
  printTable(`Compare: old = ${ref} (${old.sha.slice(0, 7)}), new = this tree — self-play runs`,
    ['topology', 'G', 'run', 'build', 'moves/s', 'p50 ms', 'p99 ms', 'errors', ...PER_MOVE_HEADERS, 'load1'], rows);

  const ratioRows: (string | number)[][] = [];
  for (const topology of opts.topologies) {
    for (const games of opts.games) {
      const pick = (b: 'old' | 'new') => samples.filter((s) => s.topology === topology && s.games === games && s.build === b).map((s) => s.r);
      const [o, n] = [pick('old'), pick('new')];
      const m = (rs: SelfPlayResult[], f: (r: SelfPlayResult) => number) => median(rs.map(f));
      const ratio = (f: (r: SelfPlayResult) => number) => fmt(m(n, f) / m(o, f), 2);
      ratioRows.push([topology, games,
        fmt(m(o, (r) => r.movesPerSec)), fmt(m(n, (r) => r.movesPerSec)), ratio((r) => r.movesPerSec),
        fmt(m(o, (r) => r.latencyMs.p50)), fmt(m(n, (r) => r.latencyMs.p50)), ratio((r) => r.latencyMs.p50),
        fmt(m(o, totalMsPerMove), 2), fmt(m(n, totalMsPerMove), 2), ratio(totalMsPerMove),
        `${o.reduce((a, r) => a + errorsOf(r), 0)} / ${n.reduce((a, r) => a + errorsOf(r), 0)}`]);
    }
  }
  printTable(`Compare: new/old (medians of ${opts.runs} run(s) each, ${opts.seconds} s per run after ${opts.warmup} s of warm-up)`,
    ['topology', 'G', 'old moves/s', 'new moves/s', 'new/old', 'old p50 ms', 'new p50 ms', 'new/old', 'old CPU ms/mv', 'new CPU ms/mv', 'new/old', 'errors old / new'],
    ratioRows,
    ['CPU ms/mv = every server process per committed move: game-server (or local), event-stream, redis, nginx, and the Postgres backends of the bench database.',
      'errors include sequence gaps and duplicates (a duplicate is a gap of the other kind: both must be 0).']);
  return { ref, sha: old.sha, samples };
}
