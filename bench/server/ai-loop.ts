// Benchmark: does agent search keep off the game-server's event loop, and how long
// does each personality think?  Run:  npx tsx bench/server/ai-loop.ts [--quick]
//
// 1. Think time per personality (worker-measured search ms) over sampled positions.
// 2. Event-loop delay (perf_hooks.monitorEventLoopDelay) of a live game-server while
//    several connect-four games against the strongest agents run at once — and, for
//    contrast, the delay when the same searches run inline on the main thread.
// Figures are from one run on a shared machine: compare ratios, not absolute times.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { engineFor } from '@monkeytown/shared/games';
import { TROOP, chooseMove, mulberry32, type ChooseMoveInput } from '@monkeytown/shared/ai';
import pg from 'pg';
import { createPgliteDb } from '../../server/src/db/pglite.js';
import { createPgDb } from '../../server/src/db/pg.js';
import type { Db } from '../../server/src/db/types.js';
import { loadConfig } from '../../server/src/config/index.js';
import { startGameServer } from '../../server/src/game-server/start.js';
import { AiPool } from '../../server/src/ai/pool.js';

const quick = process.argv.includes('--quick');
const POSITIONS = quick ? 4 : 12;
const GAMES = quick ? 3 : 6;

type Type = 'tictactoe' | 'connect4';

/** Positions a few random plies into a game (seeded), where the side to move has choices. */
function samplePositions(type: Type, n: number, seed: number): unknown[] {
  const engine = engineFor(type)!;
  const rng = mulberry32(seed);
  const out: unknown[] = [];
  while (out.length < n) {
    let s = engine.initialState();
    const plies = Math.floor(rng() * (type === 'connect4' ? 10 : 5));
    for (let i = 0; i < plies && !engine.outcome(s); i++) {
      const moves = engine.legalMoves(s);
      s = engine.apply(s, moves[Math.floor(rng() * moves.length)]);
    }
    if (!engine.outcome(s)) out.push(s);
  }
  return out;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const ms = (ns: number) => (ns / 1e6).toFixed(1);

async function thinkTimes(): Promise<void> {
  const pool = new AiPool(1);
  console.log(`\n== think time per personality (search ms in a worker, ${POSITIONS} positions each)`);
  console.log('agent              strength  ttt mean  ttt p95   c4 mean   c4 p95   c4 nodes(mean)');
  for (const agent of [...TROOP].sort((a, b) => b.strength - a.strength)) {
    const row: string[] = [];
    let nodes = 0;
    for (const type of ['tictactoe', 'connect4'] as const) {
      const times: number[] = [];
      for (const [i, state] of samplePositions(type, POSITIONS, 42).entries()) {
        const r = await pool.choose({ type, state, agentId: agent.id, seed: i } as ChooseMoveInput);
        times.push(r.stats.ms);
        if (type === 'connect4') nodes += r.stats.nodes;
      }
      row.push((times.reduce((a, b) => a + b, 0) / times.length).toFixed(1).padStart(8), pct(times, 95).toFixed(1).padStart(8));
    }
    console.log(`${agent.name.padEnd(18)} ${String(agent.strength).padStart(8)}  ${row.join('  ')}  ${Math.round(nodes / POSITIONS).toString().padStart(10)}`);
  }
  await pool.close();
}

/** The machine's own noise: event-loop delay with nothing to do. */
async function idleBaseline(): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  await new Promise((r) => setTimeout(r, quick ? 1000 : 3000));
  h.disable();
  console.log(`\n== idle baseline: event-loop delay p50 ${ms(h.percentile(50))} ms  p99 ${ms(h.percentile(99))} ms`);
  return h.percentile(99);
}

/** Postgres when BENCH_DATABASE_URL/TEST_DATABASE_URL is set (a scratch database), else PGlite. */
async function openDb(): Promise<{ db: Db; label: string; drop(): Promise<void> }> {
  const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!base) {
    const db = await createPgliteDb();
    // PGlite runs its WASM on the main thread: its queries show up as loop delay too.
    return { db, label: 'embedded PGlite (queries run on the main thread)', drop: () => db.close() };
  }
  const name = `mt_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  const db = createPgDb(u.toString());
  return {
    db,
    label: 'Postgres',
    async drop() {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function loopDelayDuringGames(): Promise<{ p50: number; p99: number; max: number }> {
  const { db, label, drop } = await openDb();
  const { migrate } = await import('../../server/src/db/migrate.js');
  await migrate(db);
  const config = loadConfig({
    NODE_ENV: 'test', LOG_LEVEL: 'silent', AI_THINK_DELAY: '0', AI_WORKERS: '2', AI_SWEEP_MS: '200',
    RATE_LIMIT_IP_PER_MIN: '1000000', RATE_LIMIT_PLAYER_PER_MIN: '1000000', RATE_LIMIT_CREATE_PLAYER_PER_MIN: '1000000',
  });
  const server = await startGameServer({ config, db, listen: false });
  const inject = async (method: 'GET' | 'POST', url: string, token?: string, body?: unknown) => {
    const r = await server.app.inject({ method, url, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}), ...(body ? { payload: body as object } : {}) });
    return r.json();
  };
  const agents = ['championchimp', 'strategistape', 'trickstermonkey'];
  const games: { id: string; token: string }[] = [];
  for (let i = 0; i < GAMES; i++) {
    const { token } = await inject('POST', '/api/players', undefined, { name: `bench${i}` });
    const { game } = await inject('POST', '/api/games', token, { type: 'connect4', opponent: { kind: 'agent', agentId: agents[i % agents.length] }, seat: 1 });
    games.push({ id: game.id, token });
  }
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const rng = mulberry32(1);
  const t0 = performance.now();
  // Human side: plays a random legal move whenever it is its turn.
  await Promise.all(games.map(async ({ id, token }) => {
    for (;;) {
      const res = await inject('GET', `/api/games/${id}`);
      const game = res.game;
      if (!game) throw new Error(`GET game: ${JSON.stringify(res)}`);
      if (game.status === 'finished') return;
      if (game.turn === 1) {
        const move = game.legalMoves[Math.floor(rng() * game.legalMoves.length)];
        await inject('POST', `/api/games/${id}/moves`, token, { move, expectedSeq: game.seq });
      } else {
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  }));
  h.disable();
  const elapsed = performance.now() - t0;
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM moves m JOIN players p ON p.id = m.player_id WHERE p.kind = 'agent'");
  const agentMoves = rows[0]!.n;
  const metrics = await server.ctx.metrics.aiThink.get();
  const sum = metrics.values.filter((v) => v.metricName === 'monkeytown_ai_think_seconds_sum').reduce((a, v) => a + v.value, 0);
  console.log(`\n== event loop during ${GAMES} concurrent connect-four games vs ${agents.join('/')} (workers: 2, ${label})`);
  console.log(`agent moves ${agentMoves}, total search ${(sum * 1000).toFixed(0)} ms in workers, wall ${elapsed.toFixed(0)} ms`);
  console.log(`event-loop delay p50 ${ms(h.percentile(50))} ms  p99 ${ms(h.percentile(99))} ms  max ${ms(h.max)} ms`);
  await server.close();
  await drop();
  return { p50: h.percentile(50), p99: h.percentile(99), max: h.max };
}

function loopDelayInline(): { p99: number; max: number } {
  // The same kind of searches, run on the main thread: what the worker pool avoids.
  const positions = samplePositions('connect4', quick ? 4 : 8, 7);
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  return new Promise<{ p99: number; max: number }>((resolve) => {
    let i = 0;
    const step = () => {
      if (i >= positions.length) {
        h.disable();
        console.log(`\n== contrast: ${positions.length} ChampionChimp searches inline on the main thread`);
        console.log(`event-loop delay p99 ${ms(h.percentile(99))} ms  max ${ms(h.max)} ms`);
        resolve({ p99: h.percentile(99), max: h.max });
        return;
      }
      chooseMove({ type: 'connect4', state: positions[i++], agentId: 'championchimp', seed: i } as ChooseMoveInput);
      setTimeout(step, 20);
    };
    setTimeout(step, 20);
  }) as unknown as { p99: number; max: number };
}

await thinkTimes();
const idle = await idleBaseline();
const live = await loopDelayDuringGames();
const inline = await loopDelayInline();
console.log(`\n== summary: event-loop p99 idle ${ms(idle)} ms | agents searching in workers ${ms(live.p99)} ms | same searches inline ${ms(inline.p99)} ms (inline/worker ${(inline.p99 / Math.max(live.p99, 1)).toFixed(1)}x)`);
