// An event-stream .cpuprofile per move: self time by area and by nearest package caller
// (bench/lib/profile.ts), and the inclusive time of the event-stream's own functions.
//   npx tsx bench/fanout/profile-summary.ts <file.cpuprofile> <moves>
// Profiles come from bench/fanout/profile.ts, or from any run with
//   NODE_OPTIONS=--import=<repo>/bench/fanout/cpu-prof-preload.mjs MT_CPU_PROF_ENTRY=event-stream.js MT_CPU_PROF_DIR=<dir>
// (e.g. around `npx tsx bench/fanout/games.ts`).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { summarizeProfile } from '../lib/profile.js';
import { fmt } from '../lib/stats.js';
import { printTable } from '../lib/table.js';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

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

export function printEsProfile(file: string, moves: number): void {
  const s = summarizeProfile(file, 30);
  const perMove = (ms: number) => fmt((ms * 1000) / Math.max(1, moves), 1);
  console.log(`\nevent-stream profile: ${file}`);
  console.log(`busy ${fmt(s.totalMs - s.idleMs, 0)} ms over the whole process life (start-up included) = ${perMove(s.totalMs - s.idleMs)} µs per move`);
  printTable('Event-stream CPU by area (self time)', ['area', 'ms', 'µs/move', '% of busy'],
    s.byArea.slice(0, 12).map((a) => [a.area, fmt(a.selfMs, 0), perMove(a.selfMs), fmt(a.pct)]));
  printTable('Event-stream CPU by nearest package caller', ['caller', 'ms', 'µs/move', '% of busy'],
    s.byCaller.slice(0, 25).map((c) => [c.caller.slice(0, 70), fmt(c.selfMs, 0), perMove(c.selfMs), fmt(c.pct)]));
  printTable('Event-stream functions, inclusive time', ['function:line (server/dist/event-stream.js)', 'ms', 'µs/move'],
    inclusiveBundle(file).slice(0, 45).map((f) => [f.fn.slice(0, 60), fmt(f.ms, 0), perMove(f.ms)]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, moves] = process.argv.slice(2);
  if (!file || !moves) throw new Error('usage: profile-summary.ts <file.cpuprofile> <moves>');
  printEsProfile(file, Number(moves));
}
