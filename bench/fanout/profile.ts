// Where the event-stream's CPU goes per move: self-play (real topology, server/dist)
// with both services under node --cpu-prof, then the event-stream's profile summarised:
// self time by area and by nearest package caller (bench/lib/profile.ts), plus the
// inclusive time of the event-stream's own functions (a bundle function's time with
// everything it called), each per committed move.
//   npx tsx bench/fanout/profile.ts [--games 50] [--seconds 8]
// (bench/fanout/games.ts runs under the same preload: see profile-summary.ts.)
// Needs TEST_DATABASE_URL (Postgres) and redis-server, like `npm run bench`.
import { mkdirSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { startTopology } from '../lib/infra.js';
import { RESULTS_DIR } from '../lib/proc.js';
import { fmt } from '../lib/stats.js';
import { printEsProfile } from './profile-summary.js';
import { makePlayers, runSelfPlay } from '../scenarios/selfplay.js';

const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const games = arg('--games', 50);
const seconds = arg('--seconds', 8);

const dir = path.join(RESULTS_DIR, 'profiles', `es-${new Date().toISOString().replace(/[:.]/g, '-')}`);
mkdirSync(dir, { recursive: true });
// --cpu-prof is not allowed in NODE_OPTIONS (the only way into the event-stream's command line): a preload starts the profiler.
const preload = path.join(path.dirname(new URL(import.meta.url).pathname), 'cpu-prof-preload.mjs');
const top = await startTopology('real', {
  env: { NODE_OPTIONS: `--import=${preload}`, MT_CPU_PROF_ENTRY: 'event-stream.js', MT_CPU_PROF_DIR: dir },
});
const esPid = top.procs.find((p) => p.name === 'event-stream')!.pid;
let run;
try {
  const players = await makePlayers(top, 2 * games);
  run = await runSelfPlay(top, players, games, seconds);
} finally {
  await top.stop();
}
const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${esPid}.`)).map((f) => path.join(dir, f))[0];
if (!file) throw new Error(`no event-stream .cpuprofile (pid ${esPid}) in ${dir}`);
console.log(`self-play G=${games}: ${run.movesCommitted} moves, ${fmt(run.movesPerSec)} moves/s, load1 ${fmt(loadavg()[0]!, 1)}`);
printEsProfile(file, run.movesCommitted);
