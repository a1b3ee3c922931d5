// Round-robin ladder of the whole troop, per game, with a head-to-head matrix.
//   npx tsx bench/ai/ladder.ts [--quick] [--games N] [--game connect4|tictactoe|othello]
// (Othello's adjacent-pairs ladder with think times per move: bench/ai/chess-ladder.ts --game othello.)
// Every pair plays N seeded games (alternating who starts). Deterministic: the same
// arguments always print the same tables (only the elapsed time changes).
import { AGENT_IDS, formatLadder, ladder, PERSONALITIES, type ArenaGame } from '@monkeytown/shared/ai';
import type { AgentId } from '@monkeytown/shared/schemas';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const gArg = args.indexOf('--games');
const only = args.indexOf('--game') >= 0 ? (args[args.indexOf('--game') + 1] as ArenaGame) : null;
const games: Partial<Record<ArenaGame, number>> = {
  connect4: gArg >= 0 ? Number(args[gArg + 1]) : quick ? 2 : 10,
  tictactoe: gArg >= 0 ? Number(args[gArg + 1]) : quick ? 6 : 30,
  // A game of 60 plies with ChampionChimp's ~40k-node moves: a round robin is 21 pairs.
  othello: gArg >= 0 ? Number(args[gArg + 1]) : quick ? 2 : 6,
};

for (const type of ['connect4', 'tictactoe', 'othello'] as const) {
  // Othello's round robin is long: only when asked for.
  if (only ? only !== type : type === 'othello') continue;
  const n = games[type]!;
  const h2h = new Map<string, number>(); // "a|b" → a's points against b
  const add = (a: AgentId, b: AgentId, pts: number) => h2h.set(`${a}|${b}`, (h2h.get(`${a}|${b}`) ?? 0) + pts);
  const t0 = performance.now();
  const rows = ladder(type, AGENT_IDS, n, 2026, (s0, s1, r) => {
    const p0 = r.winner === null ? 0.5 : r.winner === 0 ? 1 : 0;
    add(s0, s1, p0);
    add(s1, s0, 1 - p0);
  });
  const secs = (performance.now() - t0) / 1000;
  console.log(`\n${type}: round robin, ${n} games per pair (${(n * AGENT_IDS.length * (AGENT_IDS.length - 1)) / 2} games, ${secs.toFixed(1)} s)\n`);
  console.log(formatLadder(rows));
  const order = rows.map((r) => r.agentId);
  const short = (id: AgentId) => PERSONALITIES[id].profile.name.slice(0, 8);
  console.log(`\nhead to head (row's points vs column, out of ${n})`);
  console.log(`${''.padEnd(10)}${order.map((id) => short(id).padStart(10)).join('')}`);
  for (const a of order) {
    console.log(`${short(a).padEnd(10)}${order.map((b) => (a === b ? '-' : String(h2h.get(`${a}|${b}`) ?? 0)).padStart(10)).join('')}`);
  }
}
