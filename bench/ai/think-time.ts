// Think time of every personality, per game, over N seeded positions.
//   npx tsx bench/ai/think-time.ts [--quick] [--positions N]
// Prints p50/p99/max of the search wall time (ms), mean nodes and nodes per CPU second.
// The search is bounded by node budgets, so nodes are exact and reproducible; wall times
// depend on the machine and its load (printed with the table), nodes per CPU second less so.
import { loadavg, cpus } from 'node:os';
import { AGENT_IDS, chooseMove, clearSearchCache, deriveSeed, mulberry32, PERSONALITIES, thinkDelayMs } from '@monkeytown/shared/ai';
import { connect4, tictactoe, type Connect4State, type TicTacToeState } from '@monkeytown/shared/games';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const nArg = args.indexOf('--positions');
const N = nArg >= 0 ? Number(args[nArg + 1]) : quick ? 12 : 60;

/** Distinct seeded mid-game positions: a random number of random plies from the start, never finished. */
function positions<S>(engine: { initialState(): S; legalMoves(s: S): unknown[]; apply(s: S, m: unknown): S; outcome(s: S): unknown }, maxPlies: number, seed: number): S[] {
  const out: S[] = [];
  const seen = new Set<string>();
  const rng = mulberry32(seed);
  while (out.length < N) {
    let s = engine.initialState();
    const plies = Math.floor(rng() * (maxPlies + 1));
    for (let i = 0; i < plies && !engine.outcome(s); i++) {
      const legal = engine.legalMoves(s);
      s = engine.apply(s, legal[Math.floor(rng() * legal.length)]);
    }
    const key = JSON.stringify(s);
    if (!engine.outcome(s) && !seen.has(key)) {
      seen.add(key);
      out.push(s);
    }
  }
  return out;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const f = (x: number, d = 1) => x.toFixed(d);

const c4Positions = positions<Connect4State>(connect4, 16, 7);
const tttPositions = positions<TicTacToeState>(tictactoe, 5, 7);

// Warm up the JIT so the first personality is not charged for compilation.
for (let i = 0; i < 3; i++) chooseMove({ type: 'connect4', state: c4Positions[i]!, agentId: 'strategistape', seed: i });
clearSearchCache(); // measure real searches only

console.log(`AI think time over ${N} seeded positions per game (node ${process.version}, ${cpus().length} cpus, load ${loadavg().map((x) => f(x, 2)).join(' ')})\n`);
console.log('game       agent               budget     p50 ms   p99 ms   max ms   mean nodes   nodes/cpu-s mean depth  delay ms');
for (const type of ['connect4', 'tictactoe'] as const) {
  for (const agentId of AGENT_IDS) {
    const times: number[] = [];
    let cpuMicros = 0;
    let nodes = 0;
    let depth = 0;
    const list = type === 'connect4' ? c4Positions : tttPositions;
    list.forEach((state, i) => {
      const seed = deriveSeed(1, String(i));
      const cpu0 = process.cpuUsage();
      const r = type === 'connect4'
        ? chooseMove({ type, state: state as Connect4State, agentId, seed })
        : chooseMove({ type, state: state as TicTacToeState, agentId, seed });
      const cpu = process.cpuUsage(cpu0);
      cpuMicros += cpu.user + cpu.system;
      times.push(r.stats.ms);
      nodes += r.stats.nodes;
      depth += r.stats.depth;
    });
    times.sort((a, b) => a - b);
    const p = PERSONALITIES[agentId];
    const budget = type === 'connect4' ? String(p.games.connect4.nodeBudget) : `depth ${p.games.tictactoe.maxDepth}`;
    const delays = Array.from({ length: 200 }, (_, s) => thinkDelayMs(agentId, s)).sort((a, b) => a - b);
    console.log(
      `${type.padEnd(11)}${`${p.profile.emoji} ${p.profile.name}`.padEnd(20)}${budget.padStart(7)}  ${f(pct(times, 50)).padStart(8)} ${f(pct(times, 99)).padStart(8)} ${f(times.at(-1) ?? 0).padStart(8)}   ${String(Math.round(nodes / list.length)).padStart(10)}   ${String(Math.round(nodes / (cpuMicros / 1e6))).padStart(9)}   ${f(depth / list.length).padStart(9)}  ${delays[0]}-${delays.at(-1)}`,
    );
  }
}
