// Chess (or Othello) ladder: each personality against the next in strength (and
// ChampionChimp against WildcardLemur), N seeded games per pair with alternating colours,
// plus each agent's think time per move. Deterministic results (node budgets, seeded
// choices); only times vary.
//   npx tsx bench/ai/chess-ladder.ts [--game chess|othello] [--games 20] [--workers 2] [--max-plies 120]
// A chess game still running at max plies is adjudicated on material (a minor piece ahead
// wins); an Othello game always ends (60 squares), so it has no ply limit.
import { cpus, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { chessAdjudicate, PERSONALITIES, playAgents, TROOP, type ArenaResult } from '@monkeytown/shared/ai';
import type { AgentId, GameType } from '@monkeytown/shared/schemas';
import { loadEngines, type ChessState } from '@monkeytown/shared/games';

// chess.js loads on first need (games/chess/rules.ts): here, in the main thread and in each worker.
await loadEngines();

type LadderGame = Extract<GameType, 'chess' | 'othello'>;
interface Job { type: LadderGame; a: AgentId; b: AgentId; game: number; maxPlies: number }
interface Done { job: Job; r: ArenaResult; times: [AgentId, number][] }

function runJob(job: Job): Done {
  const [s0, s1] = job.game % 2 === 0 ? [job.a, job.b] : [job.b, job.a];
  const times: [AgentId, number][] = [];
  const onMove = (id: AgentId, ms: number) => times.push([id, ms]);
  const r =
    job.type === 'chess'
      ? playAgents('chess', s0, s1, 2026 + job.game, { maxPlies: job.maxPlies, adjudicate: (s) => chessAdjudicate(s as ChessState), onMove })
      : playAgents(job.type, s0, s1, 2026 + job.game, { onMove });
  return { job, r, times };
}

if (!isMainThread) {
  parentPort!.on('message', (job: Job) => parentPort!.postMessage(runJob(job)));
} else {
  const arg = (name: string, dflt: number) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const type: LadderGame = process.argv.includes('--game') && process.argv[process.argv.indexOf('--game') + 1] === 'othello' ? 'othello' : 'chess';
  const N = arg('--games', 20);
  const WORKERS = arg('--workers', 2);
  const maxPlies = arg('--max-plies', 120);
  const order = [...TROOP].sort((x, y) => y.strength - x.strength).map((p) => p.id);
  const pairs: [AgentId, AgentId][] = order.slice(0, -1).map((a, i) => [a, order[i + 1]!]);
  pairs.push(['championchimp', 'wildcardlemur']);
  const jobs: Job[] = pairs.flatMap(([a, b]) => Array.from({ length: N }, (_, game) => ({ type, a, b, game, maxPlies })));
  // Longest jobs first, so the workers finish together.
  const cost = (id: AgentId) => PERSONALITIES[id].games[type].nodeBudget;
  jobs.sort((x, y) => cost(y.a) + cost(y.b) - (cost(x.a) + cost(x.b)));

  console.log(`${type} ladder: ${N} games per pair${type === 'chess' ? `, max ${maxPlies} plies` : ''}, ${WORKERS} workers (node ${process.version}, ${cpus().length} cpus, load ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);
  const t0 = performance.now();
  const results: Done[] = [];
  await new Promise<void>((resolve, reject) => {
    let next = 0;
    let running = 0;
    const feed = (w: Worker) => {
      if (next < jobs.length) {
        running++;
        w.postMessage(jobs[next++]);
      } else void w.terminate();
      if (running === 0 && next >= jobs.length) resolve();
    };
    for (let i = 0; i < Math.min(WORKERS, jobs.length); i++) {
      // Workers ignore --import: a tiny bootstrap registers tsx, then loads this file.
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
      const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
      const w = new Worker(boot, { eval: true });
      w.on('message', (d: Done) => {
        running--;
        results.push(d);
        process.stderr.write('.');
        feed(w);
      });
      w.on('error', reject);
      feed(w);
    }
  });
  const secs = (performance.now() - t0) / 1000;
  process.stderr.write('\n');

  let monotonic = true;
  console.log('\npair                                 score (of N)  W-D-L     adjudicated  mean plies');
  for (const [a, b] of pairs) {
    const mine = results.filter((d) => d.job.a === a && d.job.b === b);
    let w = 0, d = 0, l = 0, adj = 0, plies = 0;
    for (const { job, r } of mine) {
      const aSeat = job.game % 2 === 0 ? 0 : 1;
      if (r.winner === null) d++;
      else if (r.winner === aSeat) w++;
      else l++;
      if (r.adjudicated) adj++;
      plies += r.moves;
    }
    const score = w + d / 2;
    const adjacent = !(a === 'championchimp' && b === 'wildcardlemur');
    if (adjacent && score <= mine.length / 2) monotonic = false;
    const name = (id: AgentId) => `${PERSONALITIES[id].profile.emoji} ${PERSONALITIES[id].profile.name}`;
    console.log(`${`${name(a)} vs ${name(b)}`.padEnd(42)}${`${score} / ${mine.length}`.padEnd(14)}${`${w}-${d}-${l}`.padEnd(10)}${String(adj).padEnd(13)}${(plies / mine.length).toFixed(0)}`);
  }
  const cw = results.filter((d) => d.job.a === 'championchimp' && d.job.b === 'wildcardlemur');
  const cwScore = cw.reduce((s, { job, r }) => s + (r.winner === null ? 0.5 : r.winner === (job.game % 2 === 0 ? 0 : 1) ? 1 : 0), 0);
  console.log(`\nmonotonic order (each beats the next): ${monotonic ? 'yes' : 'NO'}`);
  console.log(`ChampionChimp vs WildcardLemur: ${((100 * cwScore) / cw.length).toFixed(0)} % (needs >= 90 %)`);

  console.log('\nthink time per move (search only, ms)   moves   median    p90     max   nodes budget');
  for (const id of order) {
    const t = results.flatMap((d) => d.times.filter(([who]) => who === id).map(([, ms]) => ms)).sort((x, y) => x - y);
    const q = (p: number) => (t[Math.min(t.length - 1, Math.floor((p / 100) * t.length))] ?? 0).toFixed(0);
    console.log(`${`${PERSONALITIES[id].profile.emoji} ${PERSONALITIES[id].profile.name}`.padEnd(40)}${String(t.length).padStart(5)}  ${q(50).padStart(7)} ${q(90).padStart(6)} ${(t.at(-1) ?? 0).toFixed(0).padStart(7)}   ${PERSONALITIES[id].games[type].nodeBudget}`);
  }
  console.log(`\n${results.length} games in ${secs.toFixed(0)} s, load now ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  process.exitCode = monotonic && cwScore / cw.length >= 0.9 ? 0 : 1;
}
