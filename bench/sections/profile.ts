// --profile: self-play on the real topology with the game-server under node --cpu-prof;
// the profile is written when the server exits (SIGTERM → graceful exit) and summarised.
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startTopology } from '../lib/infra.js';
import { RESULTS_DIR } from '../lib/proc.js';
import { fmt } from '../lib/stats.js';
import { printTable } from '../lib/table.js';
import { summarizeProfile, type ProfileSummary } from '../lib/profile.js';
import { ioPerMove } from './common.js';
import { makePlayers, runSelfPlay, type SelfPlayResult } from '../scenarios/selfplay.js';
import type { Opts } from '../run.js';

export async function profileSelfPlay(opts: Opts): Promise<{ run: SelfPlayResult; file: string; summary: ProfileSummary }> {
  const dir = path.join(RESULTS_DIR, 'profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(dir, { recursive: true });
  const games = opts.quick ? 20 : 50;
  const top = await startTopology(opts.hasPostgres ? 'real' : 'embedded', { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] });
  let run: SelfPlayResult;
  try {
    const players = await makePlayers(top, 2 * games);
    run = await runSelfPlay(top, players, games, opts.seconds, opts.warmup);
  } finally {
    await top.stop();
  }
  const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f))[0];
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  const summary = summarizeProfile(file);
  console.log(`\nprofile: ${path.relative(process.cwd(), file)} (self-play G=${games}, ${fmt(run.movesPerSec)} moves/s, ${run.movesCommitted} moves, p50 ${fmt(run.latencyMs.p50)} ms)`);
  console.log(`   wall ${fmt(summary.totalMs / 1000, 1)} s, busy ${fmt((summary.totalMs - summary.idleMs) / 1000, 1)} s (${fmt((summary.totalMs - summary.idleMs) * 1000 / Math.max(1, run.movesCommitted) / 1000, 2)} ms busy per move incl. setup)`);
  console.log(`   ${ioPerMove(run.server, run.movesCommitted)}`);
  printTable('Game-server CPU by area (self time)', ['area', 'ms', '% of busy'],
    summary.byArea.slice(0, 15).map((a) => [a.area, fmt(a.selfMs, 0), fmt(a.pct)]));
  printTable('Game-server CPU by nearest package caller (native work charged to the JS that asked for it)', ['caller', 'ms', '% of busy'],
    summary.byCaller.slice(0, 20).map((c) => [c.caller.slice(0, 70), fmt(c.selfMs, 0), fmt(c.pct)]));
  printTable('Game-server top functions (self time)', ['function', 'where', 'ms', '% of busy'],
    summary.top.map((f) => [f.fn.slice(0, 40), f.where.slice(0, 60), fmt(f.selfMs, 0), fmt(f.pct)]));
  return { run, file, summary };
}
