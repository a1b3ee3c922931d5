// Micro-benchmark of the move path below HTTP: GameService.move over real Postgres
// (its own database), counting the round trips each move makes and the CPU this
// process spends per move, and what Postgres spends on it: its backends' CPU (read from
// /proc, so the server must be local) and the bytes its tables and indexes grew by.
// `npx tsx bench/micro/move-path.ts` (needs BENCH_DATABASE_URL or TEST_DATABASE_URL).
// The round-trip count is exact; CPU is per move, median of runs.
// MICRO_SERVER_SRC=<dir> runs another copy of server/src (e.g. the code before a change).
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Db } from '../../server/src/db/index.js';
import type * as ServiceModule from '../../server/src/games/service.js';
import { createDatabase, REPO } from '../lib/infra.js';
import { fmt, median } from '../lib/stats.js';

const src = path.resolve(process.env.MICRO_SERVER_SRC ?? path.join(REPO, 'server/src'));
const { createPgDb } = (await import(path.join(src, 'db/pg.ts'))) as typeof import('../../server/src/db/pg.js');
const { migrate } = (await import(path.join(src, 'db/index.ts'))) as typeof import('../../server/src/db/index.js');
const { createPlayer } = (await import(path.join(src, 'players/service.ts'))) as typeof import('../../server/src/players/service.js');
const { GameService } = (await import(path.join(src, 'games/service.ts'))) as typeof ServiceModule;
const { DirectPublisher } = (await import(path.join(src, 'outbox/publisher.ts'))) as typeof import('../../server/src/outbox/publisher.js');
const { createMemoryBus } = (await import(path.join(src, 'bus/index.ts'))) as typeof import('../../server/src/bus/index.js');
const database = await createDatabase();
const inner = createPgDb(database.url);
let queries = 0;
// Count every statement sent: plain queries, and each query plus BEGIN/COMMIT inside a transaction.
const db: Db = {
  ...inner,
  query: (sql, params) => { queries++; return inner.query(sql, params); },
  transaction: (fn) => inner.transaction((tx) => { queries += 2; return fn({ query: (s, p) => { queries++; return tx.query(s, p); } }); }),
};
try {
  await migrate(inner);
  // Events published as in production (an in-memory bus): their outbox rows are marked
  // in the next move's statement (a flush of its own after 100 ms idle is counted too).
  const publisher = new DirectPublisher({ bus: createMemoryBus(), db });
  const games = new GameService(db, { publisher });
  const a = await createPlayer(inner, 'micro-a');
  const b = await createPlayer(inner, 'micro-b');
  const DRAW = [0, 1, 2, 4, 3, 5, 7, 6, 8]; // 8 plain moves, then the game-ending one
  const cpuPerMove: number[] = [];
  const wallPerMove: number[] = [];
  const pgPerMove: number[] = [];
  let qPlain = 0;
  let qLast = 0;
  const bytes0 = await relationBytes(inner);
  let totalMoves = 0;
  for (let run = 0; run < 5; run++) {
    const pg0 = await backendCpu(inner);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let moves = 0;
    for (let g = 0; g < 40; g++) {
      const created = await games.create(a.id, { type: 'tictactoe', opponent: { kind: 'open' }, rated: true, seat: 0 });
      let seq = (await games.join(b.id, created.id)).seq;
      for (let m = 0; m < DRAW.length; m++) {
        const before = queries;
        const r = await games.move(m % 2 ? b.id : a.id, created.id, { cell: DRAW[m]! }, seq);
        seq = r.response.seq;
        if (m === 0) qPlain = queries - before;
        if (m === DRAW.length - 1) qLast = queries - before;
        moves++;
      }
    }
    const c = process.cpuUsage(c0);
    cpuPerMove.push((c.user + c.system) / moves); // includes create/join, amortised
    wallPerMove.push(((performance.now() - t0) * 1000) / moves);
    totalMoves += moves;
    const pg1 = await backendCpu(inner);
    pgPerMove.push([...pg1].reduce((a, [pid, ns]) => a + ns - (pg0.get(pid) ?? 0), 0) / 1000 / moves);
  }
  // What Postgres wrote and keeps (heap + indexes, per table), per move: deterministic,
  // unlike its CPU on a shared machine. Creations and joins are amortised as above.
  const bytes1 = await relationBytes(inner);
  const grown = [...bytes1].map(([t, b]) => [t, (b - (bytes0.get(t) ?? 0)) / totalMoves] as const).filter(([, b]) => b > 0);
  console.log(`table+index bytes kept per move: ${grown.map(([t, b]) => `${t} ${fmt(b, 0)}`).join(', ')}; total ${fmt(grown.reduce((a, [, b]) => a + b, 0), 0)}`);
  console.log(`statements per move: ${qPlain} (a plain move), ${qLast} (the game-ending move, with ratings)`);
  console.log(`CPU per move (incl. create+join amortised over 9 moves), µs: runs ${cpuPerMove.map((v) => fmt(v, 0)).join(' ')}; median ${fmt(median(cpuPerMove), 0)}`);
  console.log(`Postgres backends' CPU per move (same amortising), µs: runs ${pgPerMove.map((v) => fmt(v, 0)).join(' ')}; median ${fmt(median(pgPerMove), 0)}`);
  console.log(`wall per move (sequential), µs: runs ${wallPerMove.map((v) => fmt(v, 0)).join(' ')}; median ${fmt(median(wallPerMove), 0)}`);
  await publisher.close();
} finally {
  await inner.close();
  await database.drop();
}

/** Every table's heap + index + toast size, in bytes. */
async function relationBytes(q: Db): Promise<Map<string, number>> {
  const { rows } = await q.query<{ t: string; b: string }>(
    "SELECT relname AS t, pg_total_relation_size(oid) AS b FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace");
  return new Map(rows.map((r) => [r.t, Number(r.b)]));
}

/**
 * CPU time of this database's Postgres backends (ns, from /proc/<pid>/schedstat: the
 * server must run on this machine), by pid. Other databases' backends are not counted.
 */
async function backendCpu(q: Db): Promise<Map<number, number>> {
  const { rows } = await q.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    try { out.set(pid, Number((await readFile(`/proc/${pid}/schedstat`, 'utf8')).split(' ')[0])); } catch { /* gone, or not local */ }
  }
  return out;
}
