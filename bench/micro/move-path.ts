// Micro-benchmark of the move path below HTTP: GameService.move over real Postgres
// (its own database), counting the round trips each move makes and the CPU this
// process spends per move. `npx tsx bench/micro/move-path.ts` (needs BENCH_DATABASE_URL
// or TEST_DATABASE_URL). The round-trip count is exact; CPU is per move, median of runs.
// MICRO_SERVER_SRC=<dir> runs another copy of server/src (e.g. the code before a change).
import path from 'node:path';
import type { Db } from '../../server/src/db/index.js';
import type * as ServiceModule from '../../server/src/games/service.js';
import { createDatabase, REPO } from '../lib/infra.js';
import { fmt, median } from '../lib/stats.js';

const src = path.resolve(process.env.MICRO_SERVER_SRC ?? path.join(REPO, 'server/src'));
const { createPgDb } = (await import(path.join(src, 'db/pg.ts'))) as typeof import('../../server/src/db/pg.js');
const { migrate } = (await import(path.join(src, 'db/index.ts'))) as typeof import('../../server/src/db/index.js');
const { createPlayer } = (await import(path.join(src, 'players/service.ts'))) as typeof import('../../server/src/players/service.js');
const { GameService } = (await import(path.join(src, 'games/service.ts'))) as typeof ServiceModule;
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
  const games = new GameService(db);
  const a = await createPlayer(inner, 'micro-a');
  const b = await createPlayer(inner, 'micro-b');
  const DRAW = [0, 1, 2, 4, 3, 5, 7, 6, 8]; // 8 plain moves, then the game-ending one
  const cpuPerMove: number[] = [];
  const wallPerMove: number[] = [];
  let qPlain = 0;
  let qLast = 0;
  for (let run = 0; run < 5; run++) {
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
  }
  console.log(`statements per move: ${qPlain} (a plain move), ${qLast} (the game-ending move, with ratings)`);
  console.log(`CPU per move (incl. create+join amortised over 9 moves), µs: runs ${cpuPerMove.map((v) => fmt(v, 0)).join(' ')}; median ${fmt(median(cpuPerMove), 0)}`);
  console.log(`wall per move (sequential), µs: runs ${wallPerMove.map((v) => fmt(v, 0)).join(' ')}; median ${fmt(median(wallPerMove), 0)}`);
} finally {
  await inner.close();
  await database.drop();
}
