// The game-server's CPU per move, file by file, for two (or more) builds under the same
// self-play load: each build's real topology runs with the game-server under
// `node --cpu-prof`, and only the samples inside the measured window count (profiles are
// stamped with the monotonic clock, which process.hrtime reads here). Per move, per
// source file (the bundle mapped back through its source map; npm packages by name):
// self time, self time charged to the nearest file of ours (who asked for the native or
// npm work), and inclusive time. Builds alternate (`--runs`), medians are printed, and
// the rows are sorted by the change, so "what does the new build do per move that the old
// one didn't" reads off the top.
// `npx tsx bench/micro/profile-compare.ts --dist /tmp/mt-bench-ref-<sha12>/server/dist --dist server/dist [--games 500] [--seconds 8] [--runs 2]`
import { mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startTopology } from '../lib/infra.js';
import { distDir, RESULTS_DIR } from '../lib/proc.js';
import { profileByFile, type FileView } from '../lib/profile-files.js';
import { fmt, median } from '../lib/stats.js';
import { printTable } from '../lib/table.js';
import { makePlayers, runSelfPlay } from '../scenarios/selfplay.js';

const { values } = parseArgs({
  options: {
    games: { type: 'string', default: '500' }, seconds: { type: 'string', default: '8' }, warmup: { type: 'string', default: '2' },
    runs: { type: 'string', default: '1' }, dist: { type: 'string', multiple: true }, top: { type: 'string', default: '25' },
    interval: { type: 'string', default: '250' },
  },
});
const GAMES = Number(values.games);
const dists = values.dist?.length ? values.dist.map((d) => path.resolve(d)) : [distDir()];
const TOP = Number(values.top);

interface Run { dist: string; moves: number; cpuUs: number; view: FileView }

async function profiled(dist: string): Promise<Run> {
  const dir = path.join(RESULTS_DIR, 'profiles', `cmp-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const top = await startTopology('real', { dist, nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', values.interval!] });
  let measured: { moves: number; cpuUs: number; fromUs: number; toUs: number };
  try {
    const players = await makePlayers(top, 2 * GAMES);
    const r = await runSelfPlay(top, players, GAMES, Number(values.seconds), Number(values.warmup));
    const toUs = Number(process.hrtime.bigint() / 1000n);
    measured = { moves: r.movesCommitted, cpuUs: (r.server['game-server']?.cpuSec ?? NaN) * 1e6, fromUs: toUs - r.wallSec * 1e6, toUs };
  } finally {
    await top.stop();
  }
  const { moves, cpuUs, fromUs, toUs } = measured;
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  return { dist, moves, cpuUs, view: profileByFile(path.join(dir, file), fromUs, toUs) };
}

const runs: Run[] = [];
for (let i = 0; i < Number(values.runs); i++) {
  const order = i % 2 ? [...dists].reverse() : dists;
  for (const d of order) {
    const r = await profiled(d);
    runs.push(r);
    console.log(`[${d}] ${r.moves} moves, game-server ${fmt(r.cpuUs / r.moves)} µs CPU/move (/proc), ` +
      `${fmt(r.view.busyUs / r.moves)} µs busy/move in the profile, load ${fmt(os.loadavg()[0]!)}`);
  }
}

const perMove = (d: string, pick: (v: FileView) => Map<string, number>, key: string) =>
  median(runs.filter((r) => r.dist === d).map((r) => (pick(r.view).get(key) ?? 0) / r.moves));

function table(title: string, pick: (v: FileView) => Map<string, number>): void {
  const keys = new Set<string>();
  for (const r of runs) for (const k of pick(r.view).keys()) keys.add(k);
  const rows = [...keys].map((k) => ({ k, per: dists.map((d) => perMove(d, pick, k)) }));
  const change = (x: { per: number[] }) => x.per[x.per.length - 1]! - x.per[0]!;
  rows.sort((a, b) => Math.abs(change(b)) - Math.abs(change(a)));
  printTable(`${title} (µs per move, medians of ${values.runs}; G = ${GAMES})`, ['file', ...dists.map((d) => d.split('/').slice(-3).join('/')), 'change'],
    rows.slice(0, TOP).map((x) => [x.k.slice(0, 70), ...x.per.map((v) => fmt(v, 1)), fmt(change(x), 1)]));
}

printTable('Game-server per move', ['build', 'CPU µs (/proc)', 'busy µs (profile)'],
  dists.map((d) => [d, fmt(median(runs.filter((r) => r.dist === d).map((r) => r.cpuUs / r.moves)), 1),
    fmt(median(runs.filter((r) => r.dist === d).map((r) => r.view.busyUs / r.moves)), 1)]));
table('Self time by file', (v) => v.self);
table('Charged to the nearest file of ours', (v) => v.nearestOurs);
table('Inclusive time by file', (v) => v.inclusive);
