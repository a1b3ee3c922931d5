import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CreateGameBody } from '@monkeytown/shared';
import { backends } from '../helpers/db.js';
import { useReplicas } from '../helpers/replicas.js';
import { guest } from '../helpers/server.js';
import { useOutboxLog } from '../helpers/outbox-log.js';
import type { Db } from '../../src/db/index.js';
import { CommandPipeline } from '../../src/games/pipeline/index.js';
import { GameCache } from '../../src/games/pipeline/cache.js';
import { writeJoins } from '../../src/games/open/join.js';
import type { Written } from '../../src/games/open/types.js';
import { loadGameRow as readGame, type GameRow } from '../../src/games/snapshot.js';
import { DirectPublisher } from '../../src/outbox/publisher.js';
import { DEFAULT_CLOCK_RULES } from '../../src/games/clock/clock.js';
import { ApiError } from '@monkeytown/shared';

/** Creations and joins in the pipeline's group-commit batches (games/pipeline/open-lane.ts, games/open/*). */
describe.each(backends())('create/join batches ($name)', (backend) => {
  const t = useReplicas(backend);
  useOutboxLog(() => t.tdb.db);

  /** The test database, counting the statements sent through it. */
  function counting(): { db: Db; statements: () => number } {
    let n = 0;
    const base = t.tdb.db;
    const db: Db = {
      driver: base.driver,
      query: (sql, params) => { n++; return base.query(sql, params); },
      transaction: (fn) => base.transaction(fn),
      exec: (sql) => base.exec(sql),
      close: async () => {},
    };
    return { db, statements: () => n };
  }
  /** A pipeline of its own on `db` (nothing published: the events stay in the outbox). */
  const open = (db: Db) => {
    const publisher = new DirectPublisher({ bus: { publish: async () => [] } as never, db });
    const p = new CommandPipeline({ db, cache: new GameCache(), publisher, clocks: DEFAULT_CLOCK_RULES, landed: () => {}, seated: () => {} });
    return {
      create: (req: Parameters<CommandPipeline['create']>[0]) => p.create(req),
      join: (row: GameRow, playerId: string, tokenVersion?: number) => p.join(row.id, playerId, tokenVersion),
    };
  };
  const one = async <T>(sql: string, params: unknown[]) => (await t.tdb.db.query<T>(sql, params)).rows[0]!;
  /** Everything a game's writes touch, to compare before and after a refused request. */
  const footprint = async (id: string) => ({
    game: await one('SELECT seq, status, player0_id, player1_id, updated_at, flag_at FROM games WHERE id = $1', [id]),
    events: await one('SELECT count(*)::int AS n FROM events WHERE game_id = $1', [id]),
    // This game's rows only: agents still play the earlier tests' games in the background
    // (a busy machine makes their moves land during a later test), each with outbox rows.
    outbox: await one(`SELECT count(*)::int AS n, max(id) AS last FROM outbox_log WHERE topic = 'game:' || $1 OR (topic = 'lobby' AND data->'game'->>'id' = $1)`, [id]),
    ratings: await one('SELECT count(*)::int AS n FROM ratings', []),
    games: await one('SELECT count(*)::int AS n FROM games', []),
  });
  const openBody: CreateGameBody = { type: 'tictactoe', rated: true, opponent: { kind: 'open' } };

  it('creations arriving together: ONE statement; each committed with its events, stored exactly as answered and published', async () => {
    const players = await Promise.all(Array.from({ length: 6 }, (_, i) => guest(t.s1, `Maker ${i}`)));
    const { db, statements } = counting();
    const bodies: CreateGameBody[] = [
      openBody, { ...openBody, seat: 1 }, { type: 'connect4', rated: false, opponent: { kind: 'agent', agentId: 'speedygibbon' }, seat: 1 },
      { type: 'tictactoe', rated: true, opponent: { kind: 'agent', agentId: 'championchimp' }, seat: 0 }, openBody, { ...openBody, seat: 0 },
    ];
    const made = await Promise.all(players.map((p, i) => open(db).create({ id: randomUUID(), playerId: p.id, body: bodies[i]! })));
    expect(statements()).toBe(6); // six OpenGames, one batch each: the batching itself is below
    const shared = open(db);
    const before = statements();
    const batch = await Promise.all(players.map((p, i) => shared.create({ id: randomUUID(), playerId: p.id, body: bodies[i]! })));
    expect(statements() - before).toBe(1);
    let compared = 0;
    for (const w of [...made, ...batch]) {
      const got = (await t.s2.req('GET', `/api/games/${w.game.id}`)).body.game;
      // As GET shows it, unless an agent has moved meanwhile (connect four: the agent moves first).
      if (got.seq === 1 && ++compared) expect({ ...got, spectators: 0 }).toEqual(JSON.parse(JSON.stringify(w.game)));
      // The stored event (seats built in SQL) is what was answered and what goes on the bus.
      const stored = await one<{ data: any }>(`SELECT data FROM events WHERE game_id = $1 AND seq = 1 AND kind = 'game.created'`, [w.game.id]);
      const created = w.events.find((e) => e.event.topic !== 'lobby')!;
      expect(stored.data).toEqual(JSON.parse(JSON.stringify(created.event.data)));
      expect(stored.data.game.players).toEqual(JSON.parse(JSON.stringify(w.game.players)));
      // The outbox rows: the game event's data is stored once, in events (above); the lobby row carries its own.
      for (const e of w.events) {
        const row = await one<{ data: unknown; topic: string }>('SELECT topic, data FROM outbox_log WHERE id = $1', [e.outboxId]);
        expect(row).toEqual({ topic: e.event.topic, data: e.event.topic === 'lobby' ? JSON.parse(JSON.stringify(e.event.data)) : null });
      }
    }
    expect(compared).toBeGreaterThanOrEqual(10);
    const vsAgent = batch[2]!.game;
    expect(vsAgent.agentThinking).toBe(true);
    expect(vsAgent.status).toBe('active');
    expect(vsAgent.players.find((p) => p.seat === 0)).toMatchObject({ kind: 'agent', agentId: 'speedygibbon', emoji: expect.any(String) });
    expect(vsAgent.players.find((p) => p.seat === 1)).toMatchObject({ kind: 'human', playerId: players[2]!.id, name: 'Maker 2', rating: 1500, provisional: true });
  });

  it('one refused creation in a batch (unknown player, unknown opponent) writes nothing of its own; the others commit', async () => {
    const me = await guest(t.s1, 'Maker');
    const ghost = randomUUID();
    const shared = open(t.tdb.db);
    const gamesBefore = (await one<{ n: number }>('SELECT count(*)::int AS n FROM games', [])).n;
    const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const out = await Promise.allSettled([
      shared.create({ id: ids[0]!, playerId: me.id, body: openBody }),
      shared.create({ id: ids[1]!, playerId: ghost, body: openBody }),
      shared.create({ id: ids[2]!, playerId: me.id, body: openBody, opponentId: ghost }),
      shared.create({ id: ids[3]!, playerId: me.id, body: { ...openBody, seat: 1 } }),
    ]);
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(((out[1] as PromiseRejectedResult).reason as ApiError).code).toBe('unauthorized');
    expect(((out[2] as PromiseRejectedResult).reason as ApiError).code).toBe('not_found');
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM games', [])).n).toBe(gamesBefore + 2);
    for (const id of [ids[1], ids[2]]) {
      expect(await readGame(t.tdb.db, id!)).toBeNull();
      expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE game_id = $1', [id])).n).toBe(0);
      expect((await one<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_log WHERE topic = 'game:' || $1`, [id])).n).toBe(0);
    }
  });

  it('a request that fails its whole batch is written again alone: it fails, the others of its batch commit', async () => {
    const me = await guest(t.s1, 'Maker');
    const shared = open(t.tdb.db);
    const broken = { type: 'no-such-game', rated: false, opponent: { kind: 'open' } } as unknown as CreateGameBody;
    const out = await Promise.allSettled([openBody, broken, openBody].map((body) => shared.create({ id: randomUUID(), playerId: me.id, body })));
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    for (const o of [out[0], out[2]]) expect(await readGame(t.tdb.db, (o as PromiseFulfilledResult<{ game: { id: string } }>).value.game.id)).not.toBeNull();
  });

  it('a token version carried into the statement: a signed-out one creates and joins nothing (401), the current one goes through', async () => {
    const host = await guest(t.s1, 'Host');
    const joiner = await guest(t.s1, 'Joiner');
    const version = async (id: string) => (await one<{ v: number }>('SELECT token_version AS v FROM players WHERE id = $1', [id])).v;
    const shared = open(t.tdb.db);
    const made = await shared.create({ id: randomUUID(), playerId: host.id, body: { ...openBody, seat: 0 }, tokenVersion: await version(host.id) });
    const old = await version(joiner.id);
    await t.tdb.db.query('UPDATE players SET token_version = token_version + 1 WHERE id = ANY($1::uuid[])', [[host.id, joiner.id]]);
    const before = await footprint(made.game.id);
    // Read first: an await inside the array would let the create reject before
    // allSettled holds it (an unhandled rejection).
    const row = (await readGame(t.tdb.db, made.game.id))!;
    const refused = await Promise.allSettled([
      shared.create({ id: randomUUID(), playerId: host.id, body: openBody, tokenVersion: old }),
      shared.join(row, joiner.id, old),
    ]);
    for (const r of refused) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'unauthorized', message: 'this token was signed out' });
    }
    expect(await footprint(made.game.id)).toEqual(before);
    const joined = await shared.join((await readGame(t.tdb.db, made.game.id))!, joiner.id, old + 1);
    expect(joined!.game.players.map((p) => p.playerId)).toEqual([host.id, joiner.id]);
  });

  it('joins of several games in ONE statement: the one planned from a stale row writes nothing and is told so', async () => {
    const makers = await Promise.all([0, 1, 2].map((i) => guest(t.s1, `Host ${i}`)));
    const joiners = await Promise.all([0, 1, 2].map((i) => guest(t.s1, `Guest ${i}`)));
    const ids = await Promise.all(makers.map(async (m) =>
      (await t.s1.req('POST', '/api/games', { token: m.token, body: { ...openBody, seat: 0 } })).body.game.id as string));
    const rows = await Promise.all(ids.map((id) => readGame(t.tdb.db, id)));
    rows[1] = { ...rows[1]!, seq: 0 }; // planned from a version the game has left
    const { db, statements } = counting();
    // The statement itself (the pipeline re-plans the stale one from a fresh read: test/routes).
    const written = await writeJoins(db, rows.map((row, i) => ({ row: row!, playerId: joiners[i]!.id })), new Date(), DEFAULT_CLOCK_RULES);
    const out = written as (Written | null)[];
    expect(statements()).toBe(1);
    expect(out[1]).toBeNull();
    for (const i of [0, 2]) {
      const got = (await t.s2.req('GET', `/api/games/${ids[i]}`)).body.game;
      expect(got).toMatchObject({ status: 'active', seq: 2 });
      expect(got.players.map((p: { playerId: string }) => p.playerId)).toEqual([makers[i]!.id, joiners[i]!.id]);
      const stored = await one<{ data: unknown }>(`SELECT data FROM events WHERE game_id = $1 AND seq = 2 AND kind = 'player.joined'`, [ids[i]]);
      // The event carries what the join changed (status, whose turn; clocks in timed games), so clients fold it without the rules.
      expect(stored.data).toEqual({
        player: { seat: 1, playerId: joiners[i]!.id, name: `Guest ${i}`, kind: 'human', rating: 1500, provisional: true }, status: 'active', turn: 0,
      });
      expect(stored.data).toEqual(out[i]!.events[0]!.event.data);
      const lobby = await one<{ data: unknown }>('SELECT data FROM outbox_log WHERE id = $1', [out[i]!.events[1]!.outboxId]);
      expect(lobby.data).toEqual(JSON.parse(JSON.stringify(out[i]!.events[1]!.event.data)));
    }
    expect((await readGame(t.tdb.db, ids[1]!))!).toMatchObject({ status: 'open', seq: 1, player1_id: null });
  });

  it('many joins racing for one seat on two replicas: exactly one seated, the others 409 game_full, no half-written game', async () => {
    const host = await guest(t.s1, 'Host');
    const racers = await Promise.all(Array.from({ length: 12 }, (_, i) => guest(t.s1, `Racer ${i}`)));
    const id = (await t.s1.req('POST', '/api/games', { token: host.token, body: { ...openBody, seat: 0 } })).body.game.id as string;
    const rs = await Promise.all(racers.map((r, i) => (i % 2 ? t.s2 : t.s1).req('POST', `/api/games/${id}/join`, { token: r.token })));
    const won = rs.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    const lost = rs.filter((r) => r.status !== 200);
    expect(lost.map((r) => [r.status, r.body.error.code])).toEqual(Array(11).fill([409, 'game_full']));
    const winner = won[0]!.body.game.players.find((p: { seat: number }) => p.seat === 1).playerId as string;
    const row = (await readGame(t.tdb.db, id))!;
    expect(row).toMatchObject({ status: 'active', seq: 2, player0_id: host.id, player1_id: winner });
    const { rows: events } = await t.tdb.db.query<{ seq: number; kind: string; data: any }>('SELECT seq, kind, data FROM events WHERE game_id = $1 ORDER BY seq', [id]);
    expect(events.map((e) => [e.seq, e.kind])).toEqual([[1, 'game.created'], [2, 'player.joined']]);
    expect(events[1]!.data.player.playerId).toBe(winner);
    expect((await one<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_log WHERE topic = 'game:' || $1`, [id])).n).toBe(2);
    expect((await one<{ n: number }>(`SELECT count(*)::int AS n FROM ratings WHERE player_id = ANY($1::uuid[])`, [racers.map((r) => r.id)])).n).toBe(1);
  });

  it('a join with bad input changes nothing', async () => {
    const host = await guest(t.s1, 'Host');
    const other = await guest(t.s1, 'Other');
    const id = (await t.s1.req('POST', '/api/games', { token: host.token, body: { ...openBody, seat: 0 } })).body.game.id as string;
    const before = await footprint(id);
    const tries: [string, { token?: string }, number, string][] = [
      [`/api/games/${id}/join`, { token: host.token }, 409, 'conflict'], // your own game
      [`/api/games/${randomUUID()}/join`, { token: other.token }, 404, 'not_found'],
      ['/api/games/not-a-uuid/join', { token: other.token }, 400, 'validation_failed'],
      [`/api/games/${id}/join`, {}, 401, 'unauthorized'],
      [`/api/games/${id}/join`, { token: 'forged.token' }, 401, 'unauthorized'],
    ];
    for (const [url, o, status, code] of tries) {
      for (const s of [t.s1, t.s2]) {
        const r = await s.req('POST', url, o);
        expect([r.status, r.body.error?.code]).toEqual([status, code]);
      }
    }
    // A player the database does not know (deleted meanwhile): refused inside the statement.
    const out = await open(t.tdb.db).join((await readGame(t.tdb.db, id))!, randomUUID()).catch((e: unknown) => e);
    expect(out).toBeInstanceOf(ApiError);
    expect((out as ApiError).code).toBe('unauthorized');
    expect(await footprint(id)).toEqual(before);
  });
});
