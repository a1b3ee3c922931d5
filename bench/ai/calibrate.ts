// Strength calibration (issue 27): each monkey's playing strength per game, as a
// maximum-likelihood Elo with a 95 % interval, next to the rating the site shows
// (games/<game>/troop.ts `ratings`). Method and anchors: docs/ai.md, "Measuring strength".
//
//   nice -n 10 npx tsx bench/ai/calibrate.ts --game chess|connect4|tictactoe|othello
//     [--games N] [--sf-ms MS] [--agents a,b] [--levels 1900,2100] [--out file.json] [--append]
//     [--fit-only [--from a.json,b.json]]
//
// Chess: every monkey plays Stockfish (Debian's `stockfish`, UCI_LimitStrength + UCI_Elo,
// 1 thread, 16 MB hash, --sf-ms per move) at levels around its shown rating, from a book of
// 21 openings with colours alternating, and the monkeys rated below Stockfish's floor
// (1350) also play their neighbours, which places them through the chain. Other games: a
// round robin of the troop and a seeded random mover, fixed at RANDOM_ELO. One game at a
// time. Games are appended to bench/results/calibrate-<game>.json after each game
// (--append keeps the file's earlier games), so runs can be split (two at once with two
// --out files) and the fit redone over them all (--fit-only --from a.json,b.json).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { estimateElo, PERSONALITIES, TROOP, TROOP_RATINGS } from '@monkeytown/shared/ai';
import type { AgentId, GameType } from '@monkeytown/shared/schemas';
import { ENGINES, loadEngines } from '@monkeytown/shared/games';
import { OPENINGS } from './calibrate/openings.js';
import { playGame, type GameRecord, type Player } from './calibrate/play.js';
import { pickDepth, Stockfish } from './calibrate/stockfish.js';

/** The random mover's fixed rating in the games without an external ruler. */
export const RANDOM_ELO = 400;
/** Stockfish 15.1's UCI_Elo range. */
const SF_MIN = 1350, SF_MAX = 2850;
/** BayesElo-style prior: one virtual draw per pair that met, so a clean sweep stays finite. */
const VIRTUAL_DRAWS = 1;

const argv = process.argv.slice(2);
const opt = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const type = (opt('--game') ?? 'chess') as GameType;
if (!(type in ENGINES)) throw new Error(`unknown game "${type}"`);
// Stockfish searches to its skill pick's depth (pickDepth) unless --sf-ms asks for a time per move.
const sfMs = opt('--sf-ms') === undefined ? null : Number(opt('--sf-ms'));
const sfLimit = (elo: number) => (sfMs === null ? { depth: pickDepth(elo) } : { ms: sfMs });
const defaultGames: Record<string, number> = { chess: 8, connect4: 10, tictactoe: 20, othello: 6 };
const N = Number(opt('--games') ?? defaultGames[type] ?? 10);
const agents = (opt('--agents')?.split(',') ?? TROOP.map((a) => a.id)) as AgentId[];
const shown = TROOP_RATINGS[type];
const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../results');
const out = opt('--out') ?? path.join(resultsDir, `calibrate-${type}.json`);

await loadEngines();
mkdirSync(resultsDir, { recursive: true });
const read = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as { games: GameRecord[] }).games;
const earlier: GameRecord[] = opt('--from')
  ? opt('--from')!.split(',').flatMap(read)
  : (argv.includes('--append') || argv.includes('--fit-only')) && existsSync(out) ? read(out) : [];
const games: GameRecord[] = [...earlier];
const loads: number[][] = [loadavg()];

/** The matches to play: [seat-0 player, seat-1 player] per game, colours alternating. */
function schedule(): { a: Player; b: Player }[] {
  const agent = (id: AgentId): Player => ({ kind: 'agent', id });
  const out: { a: Player; b: Player }[] = [];
  if (type === 'chess') {
    for (const id of agents) {
      // Three levels around the shown rating (±200), inside Stockfish's range; none for a
      // monkey far below its floor (the chain below places it).
      const levels = opt('--levels') ? opt('--levels')!.split(',').map(Number) : [...new Set([-200, 0, 200].map((d) => Math.round(Math.min(SF_MAX, Math.max(SF_MIN, shown[id] + d)) / 50) * 50))]
        .filter((l) => shown[id] >= SF_MIN - 250 && Math.abs(l - shown[id]) <= 450);
      for (const elo of levels) out.push(...Array.from({ length: N }, () => ({ a: agent(id), b: { kind: 'stockfish', elo, sf: null!, limit: sfLimit(elo) } as Player })));
    }
    // The chain: below Stockfish's floor, each monkey against the next two up.
    const order = [...agents].sort((x, y) => shown[x] - shown[y]);
    for (let i = 0; i < order.length; i++) {
      if (shown[order[i]!] >= SF_MIN + 100) continue;
      for (const j of [i + 1, i + 2]) if (order[j]) out.push(...Array.from({ length: N }, () => ({ a: agent(order[i]!), b: agent(order[j]!) })));
    }
  } else {
    const players: Player[] = [...agents.map(agent), { kind: 'random' }];
    for (let i = 0; i < players.length; i++) for (let j = i + 1; j < players.length; j++) out.push(...Array.from({ length: N }, () => ({ a: players[i]!, b: players[j]! })));
  }
  return out;
}

const engines = new Map<number, Stockfish>();
async function resolve(p: Player): Promise<Player> {
  if (p.kind !== 'stockfish') return p;
  let sf = engines.get(p.elo);
  if (!sf) engines.set(p.elo, (sf = await Stockfish.start(p.elo)));
  return { ...p, sf };
}

if (!argv.includes('--fit-only')) {
  const jobs = schedule();
  console.log(`${type} calibration: ${jobs.length} games (${N} per pairing${type === 'chess' ? `, Stockfish ${sfMs === null ? 'to its pick depth' : `${sfMs} ms a move`}` : ''}), load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const t0 = performance.now();
  const perPair = new Map<string, number>();
  for (const [k, job] of jobs.entries()) {
    const key = `${JSON.stringify(job.a)}|${JSON.stringify(job.b)}`;
    const g = perPair.get(key) ?? 0;
    perPair.set(key, g + 1);
    // Openings: each one twice, colours swapped (chess only; the other games start empty and
    // vary through the monkeys' own seeded choices).
    const opening = type === 'chess' ? { name: OPENINGS[(g >> 1) % OPENINGS.length]!.name, moves: OPENINGS[(g >> 1) % OPENINGS.length]!.moves.map((uci) => ({ uci })) } : { name: 'start', moves: [] };
    const [a, b] = [await resolve(job.a), await resolve(job.b)];
    const seats: [Player, Player] = g % 2 === 0 ? [a, b] : [b, a];
    const rec = await playGame(type, seats, opening, 9000 + k);
    games.push(rec);
    writeFileSync(out, JSON.stringify({ game: type, sfMs, randomElo: RANDOM_ELO, games }, null, 1));
    if (performance.now() - t0 > 30_000 * loads.length) loads.push(loadavg());
    process.stderr.write(rec.score === 1 ? '1' : rec.score === 0 ? '0' : '=');
  }
  for (const sf of engines.values()) sf.quit();
  process.stderr.write('\n');
  console.log(`${jobs.length} games in ${((performance.now() - t0) / 1000).toFixed(0)} s; load average during: ${loads.map((l) => l[0]!.toFixed(1)).join(' ')}`);
}

// The fit: Stockfish levels (chess) or the random mover (the others) are the anchors.
const anchors: Record<string, number> = {};
for (const g of games) for (const s of g.seats) {
  if (s.startsWith('stockfish-')) anchors[s] = Number(s.slice('stockfish-'.length));
  if (s === 'random' && type !== 'chess') anchors[s] = RANDOM_ELO;
}
const fit = estimateElo(games.map((g) => ({ a: g.seats[0], b: g.seats[1], score: g.score })), anchors, { virtualDraws: VIRTUAL_DRAWS });
const think = (id: string) => games.flatMap((g) => g.think[id] ?? []).sort((x, y) => x - y);
const cpuOf = (id: string) => games.flatMap((g) => g.cpu?.[id] ?? []).sort((x, y) => x - y);
const q = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]! : NaN);
const rows = TROOP.filter((a) => fit.some((f) => f.player === a.id)).map((a) => {
  const f = fit.find((x) => x.player === a.id)!;
  const t = think(a.id);
  const c = cpuOf(a.id);
  return { monkey: a.id, name: `${a.emoji} ${a.name}`, game: type, elo: Math.round(f.elo), lo: Math.round(f.lo), hi: Math.round(f.hi), shown: shown[a.id], games: f.games, score: f.score, p50: q(t, 50), p90: q(t, 90), cpuP50: q(c, 50), cpuP90: q(c, 90), moves: t.length };
}).sort((x, y) => y.elo - x.elo);

const fmt = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '∞' : '−∞');
console.log(`\nmonkey                game       measured  95 % CI        shown  Δ      games  score   think p50/p90 ms (wall; CPU)`);
for (const r of rows) {
  const delta = r.shown - r.elo;
  console.log(`${r.name.padEnd(22)}${r.game.padEnd(11)}${String(r.elo).padStart(8)}  ${`${fmt(r.lo)}–${fmt(r.hi)}`.padEnd(14)}${String(r.shown).padStart(5)}  ${`${delta > 0 ? '+' : ''}${delta}`.padEnd(6)}${String(r.games).padStart(6)}  ${`${r.score}`.padStart(5)}   ${r.p50.toFixed(0)}/${r.p90.toFixed(0)}${Number.isNaN(r.cpuP50) ? '' : `; ${r.cpuP50.toFixed(0)}/${r.cpuP90.toFixed(0)}`}${Math.abs(delta) > 150 ? '   ← off by more than 150' : ''}`);
}
const refs = fit.filter((f) => !TROOP.some((a) => a.id === f.player));
console.log(`anchors and others: ${refs.map((f) => `${f.player} ${Math.round(f.elo)}${f.player in anchors ? ' (fixed)' : ''}: ${f.score}/${f.games}`).join(', ')}`);
writeFileSync(out, JSON.stringify({ game: type, sfMs, randomElo: RANDOM_ELO, virtualDraws: VIRTUAL_DRAWS, params: Object.fromEntries(TROOP.map((a) => [a.id, PERSONALITIES[a.id].games[type]])), loads, fit: rows, games }, null, 1));
console.log(`raw results: ${path.relative(process.cwd(), out)}`);
