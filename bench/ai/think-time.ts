// Think time of every personality, per game, over N seeded positions.
//   npx tsx bench/ai/think-time.ts [--quick] [--positions N] [--game connect4|tictactoe|othello]
// (Chess's think time per move is measured in play by bench/ai/chess-ladder.ts.)
// Prints p50/p99/max of the search wall time (ms), p50/p99 of its CPU time (the part a loaded
// machine does not inflate), mean nodes and nodes per CPU second.
// The search is bounded by node budgets, so nodes are exact and reproducible; wall times
// depend on the machine and its load (printed with the table), nodes per CPU second less so.
import { loadavg, cpus } from 'node:os';
import { AGENT_IDS, chooseMove, clearSearchCache, deriveSeed, mulberry32, PERSONALITIES, thinkDelayMs } from '@monkeytown/shared/ai';
import { connect4, tictactoe, type GameEngine } from '@monkeytown/shared/games';
import { othello } from '@monkeytown/shared/games/othello';
import type { AgentId } from '@monkeytown/shared/schemas';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const nArg = args.indexOf('--positions');
const N = nArg >= 0 ? Number(args[nArg + 1]) : quick ? 12 : 60;
const gameArg = args.indexOf('--game');
const only = gameArg >= 0 ? args[gameArg + 1] : null;

/** Distinct seeded mid-game positions: a random number of random plies from the start, never finished. */
function positions(engine: GameEngine<any, any>, maxPlies: number, seed: number): unknown[] {
  const out: unknown[] = [];
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

/**
 * The games measured: random plies from the start up to `maxPlies` (Othello's go deep enough
 * for its exact endgame, which starts at 6-12 empty squares depending on the monkey), and
 * what bounds each monkey's search there.
 */
const GAMES = {
  connect4: { engine: connect4, maxPlies: 16, budget: (id: AgentId) => String(PERSONALITIES[id].games.connect4.nodeBudget) },
  tictactoe: { engine: tictactoe, maxPlies: 5, budget: (id: AgentId) => `depth ${PERSONALITIES[id].games.tictactoe.maxDepth}` },
  othello: { engine: othello, maxPlies: 56, budget: (id: AgentId) => String(PERSONALITIES[id].games.othello.nodeBudget) },
} as const;
type Measured = keyof typeof GAMES;
if (only && !(only in GAMES)) throw new Error(`--game ${only}: one of ${Object.keys(GAMES).join(', ')}`);
const types = (Object.keys(GAMES) as Measured[]).filter((t) => !only || t === only);
const lists = new Map(types.map((t) => [t, positions(GAMES[t].engine, GAMES[t].maxPlies, 7)]));
/** chooseMove for a position of `type` (the map above pairs each type with its own states). */
const think = (type: Measured, state: unknown, agentId: AgentId, seed: number) => chooseMove({ type, state, agentId, seed } as Parameters<typeof chooseMove>[0]);

// Warm up the JIT so the first personality is not charged for compilation.
for (const t of types) for (let i = 0; i < 3; i++) think(t, lists.get(t)![i]!, 'strategistape', i);
clearSearchCache(); // measure real searches only

console.log(`AI think time over ${N} seeded positions per game (node ${process.version}, ${cpus().length} cpus, load ${loadavg().map((x) => f(x, 2)).join(' ')})\n`);
console.log('game       agent               budget     p50 ms   p99 ms   max ms  cpu p50  cpu p99   mean nodes   nodes/cpu-s mean depth  delay ms');
for (const type of types) {
  const list = lists.get(type)!;
  for (const agentId of AGENT_IDS) {
    const times: number[] = [];
    const cpuMs: number[] = [];
    let cpuMicros = 0;
    let nodes = 0;
    let depth = 0;
    list.forEach((state, i) => {
      const seed = deriveSeed(1, String(i));
      const cpu0 = process.cpuUsage();
      const r = think(type, state, agentId, seed);
      const cpu = process.cpuUsage(cpu0);
      cpuMicros += cpu.user + cpu.system;
      cpuMs.push((cpu.user + cpu.system) / 1000);
      times.push(r.stats.ms);
      nodes += r.stats.nodes;
      depth += r.stats.depth;
    });
    times.sort((a, b) => a - b);
    cpuMs.sort((a, b) => a - b);
    const p = PERSONALITIES[agentId];
    const budget = GAMES[type].budget(agentId);
    const delays = Array.from({ length: 200 }, (_, s) => thinkDelayMs(agentId, s)).sort((a, b) => a - b);
    console.log(
      `${type.padEnd(11)}${`${p.profile.emoji} ${p.profile.name}`.padEnd(20)}${budget.padStart(7)}  ${f(pct(times, 50)).padStart(8)} ${f(pct(times, 99)).padStart(8)} ${f(times.at(-1) ?? 0).padStart(8)} ${f(pct(cpuMs, 50)).padStart(8)} ${f(pct(cpuMs, 99)).padStart(8)}   ${String(Math.round(nodes / list.length)).padStart(10)}   ${String(Math.round(nodes / (cpuMicros / 1e6))).padStart(9)}   ${f(depth / list.length).padStart(9)}  ${delays[0]}-${delays.at(-1)}`,
    );
  }
}
