import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredUnderCi } from '@monkeytown/test-support';
import { createRedisBus, type Bus } from '../../src/bus/index.js';
import { createPgDb } from '../../src/db/pg.js';
import type { Db } from '../../src/db/index.js';
import { postgresBackend, type TestDb } from '../helpers/db.js';
import { logOutbox } from '../helpers/outbox-log.js';
import { testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import { guest, startTestServer, type TestServer } from '../helpers/server.js';
import { startTestStream, TestClient } from './harness.js';

// Issue 17: the lobby's seqs, as every subscriber sees them, while two game-server
// replicas commit and publish moves concurrently (real Postgres, real Redis, two
// event-stream replicas). Without TEST_REDIS_URL / TEST_DATABASE_URL: skipped with a
// printed reason locally, a failure under CI=true.
const redisUrl = testRedisUrl();
const pgUrl = requiredUnderCi('TEST_DATABASE_URL', 'the lobby-order test (needs real Postgres)');
const GAMES = Number(process.env.LOBBY_ORDER_GAMES ?? 60);

type LobbyEvent = { seq: number; data: { game: { id: string; seq: number } } };
const lobbyEvents = (c: TestClient): LobbyEvent[] =>
  c.messages.flatMap((m) => (m.type === 'event' && m.topic === 'lobby' ? [m as unknown as LobbyEvent] : []));
/** One lobby event's identity: its game and the game's seq after the change it reports. */
const key = (e: LobbyEvent) => `${e.data.game.id}@${e.data.game.seq}`;
const outOfOrder = (seqs: number[]) => seqs.filter((s, i) => i > 0 && s <= seqs[i - 1]!).length;
/** Lobby events that arrived after a newer summary of the same game (what a client must not apply). */
const staleSummaries = (got: LobbyEvent[]) => {
  const newest = new Map<string, number>();
  let n = 0;
  for (const { data: { game } } of got) {
    if ((newest.get(game.id) ?? -1) > game.seq) n++;
    else newest.set(game.id, game.seq);
  }
  return n;
};

describe.skipIf(!redisUrl || !pgUrl)('lobby seqs under concurrent moves on two replicas', () => {
  let tdb: TestDb;
  let db2: Db;
  let s1: TestServer;
  let s2: TestServer;
  const buses: Bus[] = [];
  const streams: Awaited<ReturnType<typeof startTestStream>>[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    tdb = await postgresBackend.create();
    db2 = createPgDb(tdb.url!);
    const keyPrefix = uniquePrefix('lobby-order');
    // One bus per process, as in production: each replica publishes on its own connection.
    const bus = () => {
      const b = createRedisBus({ url: redisUrl!, keyPrefix, ttlSeconds: 600 });
      buses.push(b);
      return b;
    };
    // A lobby row for every move (no throttle, games/pipeline/lobby-throttle.ts): the most
    // lobby traffic two replicas can make, which is what the ordering is tested under.
    const env = { LOBBY_MOVE_UPDATE_MS: '0' };
    s1 = await startTestServer(tdb.db, { bus: bus(), env });
    await logOutbox(tdb.db); // every lobby row written, published (and so deleted) or not
    s2 = await startTestServer(db2, { bus: bus(), env });
    streams.push(await startTestStream(bus()), await startTestStream(bus()));
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all(streams.map((s) => s.es.close()));
    await s2?.close();
    await s1?.close();
    await db2?.close();
    await Promise.all(buses.map((b) => b.close()));
    await tdb?.drop();
  });

  const subscribeLobby = async (url: string, sinceSeq?: number) => {
    const c = await TestClient.connect(url);
    clients.push(c);
    c.send({ type: 'subscribe', topic: 'lobby', ...(sinceSeq !== undefined ? { sinceSeq } : {}) });
    await c.next((m) => m.type === 'subscribed');
    return c;
  };

  /** Two guests play one connect-four game at random, each move on the other replica. */
  async function playOne(i: number): Promise<void> {
    const [r1, r2] = i % 2 ? [s1, s2] : [s2, s1];
    const a = await guest(r1, 'A');
    const b = await guest(r2, 'B');
    const created = await r1.req('POST', '/api/games', { token: a.token, body: { type: 'connect4', opponent: { kind: 'open' }, seat: 0, rated: false } });
    if (created.status !== 201) throw new Error(`create: ${created.status}`);
    const id = created.body.game.id as string;
    let res = await r2.req('POST', `/api/games/${id}/join`, { token: b.token });
    for (let n = 0; res.status === 200 && res.body.game.status === 'active'; n++) {
      const game = res.body.game;
      const moves = game.legalMoves as unknown[];
      const player = game.turn === 0 ? a : b;
      res = await (n % 2 ? r1 : r2).req('POST', `/api/games/${id}/moves`, {
        token: player.token,
        body: { move: moves[Math.floor(Math.random() * moves.length)], expectedSeq: game.seq },
      });
    }
    if (res.status !== 200) throw new Error(`move: ${res.status} ${JSON.stringify(res.body)}`);
  }

  it('every subscriber sees strictly increasing lobby seqs, no game going back in time, and every game\'s newest summary once, also after resuming with sinceSeq', async () => {
    const [a, b] = streams.map((s) => s.url) as [string, string];
    const steady = [await subscribeLobby(a), await subscribeLobby(a), await subscribeLobby(b), await subscribeLobby(b)];
    // A client that drops its connection half-way and resumes on the other replica.
    let resumer = await subscribeLobby(a);
    const first = resumer;

    const started = Date.now();
    const load = Promise.all(Array.from({ length: GAMES }, (_, i) => playOne(i)));
    await first.waitFor(() => lobbyEvents(first).length >= GAMES * 4, 60_000, 'lobby events before the drop');
    first.close();
    await first.closed;
    const lastSeen = lobbyEvents(first).at(-1)!.seq;
    await new Promise((r) => setTimeout(r, 300)); // events pass while it is away
    resumer = await subscribeLobby(b, lastSeen);
    await load;
    const playMs = Date.now() - started;

    const { rows } = await tdb.db.query<{ k: string }>(
      "SELECT (data->'game'->>'id') || '@' || (data->'game'->>'seq') AS k FROM outbox_log WHERE topic = 'lobby'",
    );
    const written = rows.map((r) => r.k).sort();
    // A row that reaches the bus after a newer one of its game is dropped there (it would
    // take the game back in time): what every subscriber must end with is each game's
    // newest summary, and nothing but rows of the outbox, each at most once.
    const newest = new Map<string, number>();
    for (const k of written) {
      const [id, seq] = k.split('@') as [string, string];
      newest.set(id, Math.max(newest.get(id) ?? 0, Number(seq)));
    }
    const hasNewest = (got: LobbyEvent[]) => {
      const have = new Set(got.map(key));
      return [...newest].every(([id, seq]) => have.has(`${id}@${seq}`));
    };
    const resumed = () => [...lobbyEvents(first), ...lobbyEvents(resumer)];
    const subscribers = [...steady.map((c) => () => lobbyEvents(c)), resumed];
    for (const got of subscribers) {
      await steady[0]!.waitFor(() => hasNewest(got()), 30_000, `every game's newest summary`).catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 300)); // a late duplicate would show up here

    const figures = subscribers.map((got) => ({ events: got().length, outOfOrder: outOfOrder(got().map((e) => e.seq)), stale: staleSummaries(got()) }));
    console.log(
      `[lobby-order] ${written.length} lobby rows written from ${GAMES} games (${playMs} ms), 2 game-server replicas, ` +
        `2 event-stream replicas, ${subscribers.length} subscribers (the last resumed with sinceSeq=${lastSeen} on the other replica): ` +
        figures.map((f, i) => `#${i + 1} ${f.events} received (${written.length - f.events} superseded before they reached the bus), ${f.outOfOrder} out of order, ${f.stale} older than a summary of the same game already received`).join('; '),
    );
    const remaining = (got: string[]) => {
      const left = [...written];
      const foreign: string[] = [];
      for (const k of got) {
        const i = left.indexOf(k);
        if (i < 0) foreign.push(k);
        else left.splice(i, 1);
      }
      return foreign;
    };
    for (const [i, got] of subscribers.entries()) {
      expect(figures[i]!.outOfOrder, `subscriber #${i + 1}: lobby seq went down or repeated`).toBe(0);
      expect(figures[i]!.stale, `subscriber #${i + 1}: a game went back in time`).toBe(0);
      expect(hasNewest(got()), `subscriber #${i + 1}: a game's newest summary is missing`).toBe(true);
      expect(remaining(got().map(key)), `subscriber #${i + 1}: rows delivered twice or not in the outbox`).toEqual([]);
    }
    expect(resumer.of('resync')).toEqual([]);
    // One order for everybody: a seq names the same event on every subscriber.
    const bySeq = (got: LobbyEvent[]) => got.map((e) => `${e.seq}=${key(e)}`).sort();
    for (const got of subscribers.slice(1)) expect(bySeq(got())).toEqual(bySeq(subscribers[0]!()));
  }, 180_000);
});
