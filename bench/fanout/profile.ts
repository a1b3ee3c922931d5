// Where the event-stream's CPU goes per move: self-play (real topology, server/dist)
// with both services under node --cpu-prof, then the event-stream's profile summarised:
// self time by area and by nearest package caller (bench/lib/profile.ts), plus the
// inclusive time of the event-stream's own functions (a bundle function's time with
// everything it called), each per committed move.
//   npx tsx bench/fanout/profile.ts [--games 50] [--seconds 8]
// Needs TEST_DATABASE_URL (Postgres) and redis-server, like `npm run bench`.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { startTopology } from '../lib/infra.js';
import { RESULTS_DIR } from '../lib/proc.js';
import { summarizeProfile } from '../lib/profile.js';
import { fmt } from '../lib/stats.js';
import { printTable } from '../lib/table.js';
import { makePlayers, runSelfPlay } from '../scenarios/selfplay.js';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const games = arg('--games', 50);
const seconds = arg('--seconds', 8);

/** Inclusive ms of every function in the bundle (each sample counted once per distinct function on its stack). */
function inclusiveBundle(file: string): { fn: string; ms: number }[] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const ms = (p.timeDeltas[i] ?? 0) / 1000;
    const seen = new Set<string>();
    for (let id: number | undefined = p.samples[i]; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      if (!f.url.includes('/dist/')) continue;
      const key = `${f.functionName || '(anonymous)'}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + ms);
    }
  }
  return [...total].map(([fn, ms]) => ({ fn, ms })).sort((a, b) => b.ms - a.ms);
}

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
const moves = Math.max(1, run.movesCommitted);
const s = summarizeProfile(file, 30);
const perMove = (ms: number) => fmt((ms * 1000) / moves, 1);
console.log(`\nevent-stream profile: ${path.relative(process.cwd(), file)}`);
console.log(`self-play G=${games}: ${run.movesCommitted} moves, ${fmt(run.movesPerSec)} moves/s, load1 ${fmt(loadavg()[0]!, 1)}`);
console.log(`busy ${fmt(s.totalMs - s.idleMs, 0)} ms over the whole process life (start-up and player creation included) = ${perMove(s.totalMs - s.idleMs)} µs per move`);
printTable('Event-stream CPU by area (self time)', ['area', 'ms', 'µs/move', '% of busy'],
  s.byArea.slice(0, 12).map((a) => [a.area, fmt(a.selfMs, 0), perMove(a.selfMs), fmt(a.pct)]));
printTable('Event-stream CPU by nearest package caller', ['caller', 'ms', 'µs/move', '% of busy'],
  s.byCaller.slice(0, 20).map((c) => [c.caller.slice(0, 70), fmt(c.selfMs, 0), perMove(c.selfMs), fmt(c.pct)]));
printTable('Event-stream functions, inclusive time', ['function:line (server/dist/event-stream.js)', 'ms', 'µs/move'],
  inclusiveBundle(file).slice(0, 40).map((f) => [f.fn.slice(0, 60), fmt(f.ms, 0), perMove(f.ms)]));
