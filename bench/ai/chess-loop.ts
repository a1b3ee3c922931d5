// Does the troop's chess search stay off the game-server's event loop? Six chess games
// against agents at once, through the real server (Postgres when TEST_DATABASE_URL or
// BENCH_DATABASE_URL is set, else PGlite), measuring event-loop delay on the main thread.
//   npx tsx bench/ai/chess-loop.ts [--games 6] [--own-moves 30] [--workers 2] [--agents strong|weak]
// The person plays random legal moves and resigns after --own-moves if no one has won.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { mulberry32 } from '@monkeytown/shared/ai';
import { baseDatabaseUrl, createDatabase } from '../lib/infra.js';
import { createPgliteDb } from '../../server/src/db/pglite.js';
import { createPgDb } from '../../server/src/db/pg.js';
import type { Db } from '../../server/src/db/types.js';
import { loadConfig } from '../../server/src/config/index.js';
import { startGameServer } from '../../server/src/game-server/start.js';

const arg = (name: string, dflt: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : dflt);
const GAMES = arg('--games', 6);
const OWN_MOVES = arg('--own-moves', 30);
const WORKERS = arg('--workers', 2);
const ms = (ns: number) => (ns / 1e6).toFixed(1);

async function openDb(): Promise<{ db: Db; label: string; drop(): Promise<void> }> {
  if (!baseDatabaseUrl()) {
    const db = await createPgliteDb();
    return { db, label: 'embedded PGlite (its queries run on the main thread too)', drop: () => db.close() };
  }
  const scratch = await createDatabase();
  const db = createPgDb(scratch.url);
  return { db, label: 'Postgres', drop: async () => { await db.close(); await scratch.drop(); } };
}

const idle = monitorEventLoopDelay({ resolution: 10 });
idle.enable();
await new Promise((r) => setTimeout(r, 3000));
idle.disable();
console.log(`idle baseline (this machine, load ${loadavg()[0]!.toFixed(1)}): event-loop delay p50 ${ms(idle.percentile(50))} ms, p99 ${ms(idle.percentile(99))} ms`);

const { db, label, drop } = await openDb();
const { migrate } = await import('../../server/src/db/migrate.js');
await migrate(db);
const config = loadConfig({
  NODE_ENV: 'test', LOG_LEVEL: 'silent', AI_THINK_DELAY: '0', AI_WORKERS: String(WORKERS), AI_SWEEP_MS: '200',
  RATE_LIMIT_IP_PER_MIN: '1000000', RATE_LIMIT_PLAYER_PER_MIN: '1000000', RATE_LIMIT_CREATE_PLAYER_PER_MIN: '1000000',
});
const server = await startGameServer({ config, db, listen: false });
const inject = async (method: 'GET' | 'POST', url: string, token?: string, body?: unknown) => {
  const r = await server.app.inject({ method, url, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}), ...(body ? { payload: body as object } : {}) });
  return r.json();
};
// --agents weak: the same games and requests with near-zero search, to separate the cost
// of serving the games from the cost of searching.
const agents = process.argv.includes('--agents') && process.argv[process.argv.indexOf('--agents') + 1] === 'weak'
  ? ['wildcardlemur', 'speedygibbon']
  : ['championchimp', 'strategistape', 'trickstermonkey'];
const games: { id: string; token: string }[] = [];
for (let i = 0; i < GAMES; i++) {
  const { token } = await inject('POST', '/api/players', undefined, { name: `loop${i}` });
  const { game } = await inject('POST', '/api/games', token, { type: 'chess', opponent: { kind: 'agent', agentId: agents[i % agents.length] }, seat: 1 });
  games.push({ id: game.id, token });
}
const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();
const rng = mulberry32(7);
const t0 = performance.now();
await Promise.all(games.map(async ({ id, token }) => {
  for (let own = 0; ; ) {
    const { game } = await inject('GET', `/api/games/${id}`);
    if (game.status === 'finished') return;
    if (game.turn !== 1) {
      await new Promise((r) => setTimeout(r, 25));
      continue;
    }
    if (own++ >= OWN_MOVES) {
      await inject('POST', `/api/games/${id}/resign`, token);
      return;
    }
    await inject('POST', `/api/games/${id}/moves`, token, { move: game.legalMoves[Math.floor(rng() * game.legalMoves.length)], expectedSeq: game.seq });
  }
}));
h.disable();
const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM moves m JOIN players p ON p.id = m.player_id WHERE p.kind = 'agent'");
console.log(`\n${GAMES} concurrent chess games vs ${agents.join('/')} (${WORKERS} AI worker(s), ${label})`);
console.log(`agent moves ${rows[0]!.n}, wall ${((performance.now() - t0) / 1000).toFixed(1)} s`);
console.log(`event-loop delay p50 ${ms(h.percentile(50))} ms  p99 ${ms(h.percentile(99))} ms  max ${ms(h.max)} ms  (budget: p99 <= 20 ms)`);
await server.close();
await drop();
