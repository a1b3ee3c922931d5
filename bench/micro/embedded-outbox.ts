// Embedded mode's outbox (PGlite: no autovacuum) after N moves: its heap and index pages,
// its dead rows, what one relay sweep costs (buffers read: a count; and its time), and
// what a VACUUM costs and gives back. `npx tsx bench/micro/embedded-outbox.ts [--moves
// 2000,6000] [--vacuum-ms 0|10000]`: --vacuum-ms 0 never vacuums while playing (before the
// periodic vacuum), otherwise the game-server's vacuum runs on that period, as it does
// under `npm start` (db/pglite-vacuum.ts). Moves are GameService.move on an in-memory
// PGlite, published on the in-process bus and marked (deleted) as in the server.
import { parseArgs } from 'node:util';
import { createPgliteDb } from '../../server/src/db/pglite.js';
import { migrate, type Db } from '../../server/src/db/index.js';
import { createPlayer } from '../../server/src/players/service.js';
import { GameService } from '../../server/src/games/service.js';
import { DirectPublisher } from '../../server/src/outbox/publisher.js';
import { OutboxRelay, selectRows } from '../../server/src/outbox/relay.js';
import { createMemoryBus } from '../../server/src/bus/index.js';
import { vacuumOutboxPeriodically } from '../../server/src/db/pglite-vacuum.js';
import { fmt, median } from '../lib/stats.js';

const { values } = parseArgs({ options: { moves: { type: 'string', default: '2000,6000' }, 'vacuum-ms': { type: 'string', default: '0' } } });
const checkpoints = values.moves.split(',').map(Number);
const vacuumMs = Number(values['vacuum-ms']);

const pglite = await createPgliteDb(undefined);
await migrate(pglite);
/** Each VACUUM's wall time (ms): it holds PGlite, and with it the event loop. */
const vacuums: number[] = [];
const db: Db = {
  ...pglite,
  async exec(sql) {
    const t = performance.now();
    await pglite.exec(sql);
    if (sql.startsWith('VACUUM')) vacuums.push(performance.now() - t);
  },
};
const bus = createMemoryBus();
const publisher = new DirectPublisher({ bus, db });
const games = new GameService(db, { publisher });
// The sweep as the server runs it (embedded: 3 s grace); never started, passes run by hand.
const relay = new OutboxRelay({ db, bus, pollMs: 200, graceMs: 3000, pending: publisher.pending });
const vacuum = vacuumOutboxPeriodically(db, { everyMs: vacuumMs });
const a = await createPlayer(db, 'bench-a');
const b = await createPlayer(db, 'bench-b');
const DRAW = [0, 1, 2, 4, 3, 5, 7, 6, 8];

/** Heap and index pages of the outbox, its live and dead rows. */
async function outbox(q: Db) {
  const { rows } = await q.query<{ heap: number; idx: number; live: number; dead: number }>(`
    SELECT pg_relation_size('outbox')::int / 8192 AS heap,
      (SELECT sum(pg_relation_size(indexrelid))::int / 8192 FROM pg_index WHERE indrelid = 'outbox'::regclass) AS idx,
      (SELECT count(*)::int FROM outbox) AS live,
      pg_stat_get_dead_tuples('outbox'::regclass)::int AS dead`);
  return rows[0]!;
}

/** One sweep's statement, explained: shared buffers it touched and its execution time (ms). */
async function sweepPlan(q: Db) {
  const { rows } = await q.query<{ 'QUERY PLAN': [{ 'Execution Time': number; Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }] }>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${selectRows(`o.at < now() - $2::int * interval '1 millisecond'`)}`, [500, 3000]);
  const p = rows[0]!['QUERY PLAN'][0];
  return { buffers: p.Plan['Shared Hit Blocks'] + p.Plan['Shared Read Blocks'], ms: p['Execution Time'] };
}

/** Median wall time of a relay pass (lease, sweep, nothing to publish), ms. */
async function passMs(n = 15): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await relay.pass();
    t.push(performance.now() - t0);
  }
  return median(t);
}

const report = async (label: string) => {
  const o = await outbox(db);
  const s = await sweepPlan(db);
  console.log(`${label}: outbox heap ${o.heap} pages, index ${o.idx} pages, ${o.live} live rows, ${o.dead} dead (pg_stat); sweep reads ${s.buffers} buffers, ${fmt(s.ms, 2)} ms (EXPLAIN ANALYZE); a relay pass ${fmt(await passMs(), 2)} ms`);
};

let moves = 0;
const t0 = performance.now();
console.log(`load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}; vacuum every ${vacuumMs || 'never'} ms`);
await report('start');
for (const target of checkpoints) {
  while (moves < target) {
    const created = await games.create(a.id, { type: 'tictactoe', opponent: { kind: 'open' }, rated: false, seat: 0 });
    let seq = (await games.join(b.id, created.id)).seq;
    for (let m = 0; m < DRAW.length; m++) {
      seq = (await games.move(m % 2 ? b.id : a.id, created.id, { cell: DRAW[m]! }, seq)).response.seq;
      moves++;
    }
  }
  await publisher.close(); // every published row marked (deleted)
  await report(`after ${moves} moves (${fmt((performance.now() - t0) / 1000, 1)} s)`);
}
if (vacuums.length) console.log(`periodic vacuums while playing: ${vacuums.length}, ms each: ${vacuums.map((v) => fmt(v, 1)).join(' ')}`);
const v0 = performance.now();
await pglite.exec('VACUUM outbox');
const vacuumTook = performance.now() - v0;
await report(`after one VACUUM outbox (${fmt(vacuumTook, 1)} ms)`);
await vacuum.stop();
await games.close();
await pglite.close();
