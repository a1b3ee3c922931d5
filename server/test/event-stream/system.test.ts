import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topic } from '@monkeytown/shared';
import { connect, type EventStreamClient, type StreamEvent } from '@monkeytown/shared/client';
import { createPostgresDatabase } from '../helpers/db.js';
import { RedisServer } from '@monkeytown/test-support';
import { api, sleep, startReplicas, TestClient } from './harness.js';
import { Service } from './processes.js';

const pgUrl = process.env.TEST_DATABASE_URL;
if (!pgUrl && process.env.CI === 'true') throw new Error('TEST_DATABASE_URL must be set in CI');
if (!pgUrl) console.warn('TEST_DATABASE_URL not set: skipping the cross-process event-stream tests');

async function until(pred: () => boolean | Promise<boolean>, ms: number, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await sleep(25);
  }
}

/** A `ws` WebSocket the test can cut (as a network failure would), for the typed client. */
const sockets: WebSocket[] = [];
class TrackedWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    sockets.push(this);
  }
}

/**
 * Issue 3 acceptance 1–3 across processes: two game-servers and two event-streams
 * (the built services, or their TypeScript entries) on one Postgres database and one
 * private redis-server this test can stop and start.
 */
describe.skipIf(!pgUrl)('event delivery across game-server and event-stream replicas', () => {
  let redis: RedisServer;
  let db: { url: string; drop(): Promise<void> };
  let gsA: Service;
  let gsB: Service;
  let esA: Service;
  let esB: Service;
  let esEnv: Record<string, string>;
  const clients: EventStreamClient[] = [];
  const raw: TestClient[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    db = await createPostgresDatabase(pgUrl);
    ({ gsA, gsB, esA, esB, esEnv } = await startReplicas({
      databaseUrl: db.url,
      redisUrl: redis.url,
      gs: { AI_THINK_DELAY: '1', AI_LEASE_MS: '1000', AI_SWEEP_MS: '200', OUTBOX_POLL_MS: '50' },
    }));
  }, 90_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    for (const c of raw) c.close();
    await Promise.all([gsA, gsB, esA, esB].map((s) => s?.stop()));
    await redis?.dispose();
    await db?.drop();
  }, 30_000);

  const guest = async (name: string) => {
    const r = await api(gsA.http, 'POST', '/players', { body: { name } });
    expect(r.status).toBe(201);
    return { id: r.body.player.id as string, token: r.body.token as string };
  };

  /** Apply a move, naming the game's current seq; a 409 (an event slipped in) re-reads and retries. */
  const move = async (gs: Service, token: string, gameId: string, mv: unknown) => {
    for (let i = 0; i < 5; i++) {
      const snap = await api(gs.http, 'GET', `/games/${gameId}`);
      const r = await api(gs.http, 'POST', `/games/${gameId}/moves`, { token, body: { move: mv, expectedSeq: snap.body.game.seq } });
      if (r.status === 200 || r.status === 201) return r.body;
      if (r.status !== 409) throw new Error(`move ${JSON.stringify(mv)} → ${r.status} ${JSON.stringify(r.body)}`);
    }
    throw new Error('move kept conflicting');
  };
  const chat = async (gs: Service, token: string, gameId: string, text: string) => {
    const r = await api(gs.http, 'POST', `/games/${gameId}/chat`, { token, body: { text } });
    expect([200, 201]).toContain(r.status);
  };
  /** The truth: the game's events from Postgres through REST. */
  const restEvents = async (gameId: string, gs = gsB) => {
    const r = await api(gs.http, 'GET', `/games/${gameId}/events?after=0&limit=1000`);
    expect(r.status).toBe(200);
    return r.body.events as { seq: number; kind: string; data: unknown; at: string }[];
  };
  const twoGuestGame = async () => {
    const p1 = await guest('Ada');
    const p2 = await guest('Bo');
    const created = await api(gsA.http, 'POST', '/games', {
      token: p1.token,
      body: { type: 'tictactoe', opponent: { kind: 'open' }, rated: false, seat: 0 },
    });
    expect(created.status).toBe(201);
    return { p1, p2, gameId: created.body.game.id as string };
  };

  it('two guests play across both game-servers; players and spectators on both event-streams get every event once, in order', async () => {
    const lobby = await TestClient.connect(esB.ws);
    raw.push(lobby);
    lobby.send({ type: 'subscribe', topic: 'lobby' });
    await lobby.next((m) => m.type === 'subscribed');
    const { p1, p2, gameId } = await twoGuestGame();
    const topic = `game:${gameId}` as Topic;
    const watchers = await Promise.all([
      TestClient.connect(esA.ws, p1.token),
      TestClient.connect(esB.ws, p2.token),
      TestClient.connect(esA.ws),
      TestClient.connect(esB.ws),
    ]);
    raw.push(...watchers);
    for (const w of watchers) w.send({ type: 'subscribe', topic, sinceSeq: 0 });
    await Promise.all(watchers.map((w) => w.next((m) => m.type === 'subscribed', 10_000)));
    expect((await api(gsB.http, 'POST', `/games/${gameId}/join`, { token: p2.token })).status).toBe(200);
    // X takes the top row; moves alternate between the two game-servers.
    const script: [Service, string, number][] = [[gsA, p1.token, 0], [gsB, p2.token, 3], [gsA, p1.token, 1], [gsB, p2.token, 4], [gsA, p1.token, 2]];
    for (const [gs, token, cell] of script) await move(gs, token, gameId, { cell });
    const truth = await restEvents(gameId);
    expect(truth.at(-1)?.kind).toBe('game.over');
    const seqs = truth.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    for (const w of watchers) {
      await w.waitFor(() => w.seqs(topic).length >= seqs.length, 10_000, 'all events');
      await sleep(100); // anything extra (a duplicate) would arrive now
      expect(w.seqs(topic)).toEqual(seqs);
      expect(w.of('event').map((e) => e.kind)).toEqual(truth.map((e) => e.kind));
      expect(w.of('resync')).toEqual([]);
    }
    // Presence: both spectators and both players are watching, counted across replicas.
    await watchers[2]!.waitFor(() => watchers[2]!.of('presence').at(-1)?.spectators === 4, 5000, 'presence 4');
    // The lobby saw the game come and go.
    await lobby.waitFor(
      () => lobby.of('event').some((e) => (e.data as { game?: { id: string; status: string } }).game?.status === 'finished'),
      5000,
      'lobby update',
    );
    expect(lobby.of('event').every((e) => e.kind === 'lobby.game' && (e.data as { game: { id: string } }).game.id === gameId)).toBe(true);
  }, 60_000);

  it('faults: a dropped client, a SIGKILLed event-stream, a Redis outage — every subscriber ends with the full sequence', async () => {
    const { p1, p2, gameId } = await twoGuestGame();
    const topic = `game:${gameId}` as Topic;
    expect((await api(gsB.http, 'POST', `/games/${gameId}/join`, { token: p2.token })).status).toBe(200);
    let resyncs = 0;
    const subscriber = (urls: string[]) => {
      const got: StreamEvent[] = [];
      const states: string[] = [];
      const c = connect(urls, { WebSocket: TrackedWebSocket, backoff: { initialMs: 100, maxMs: 1000 }, onState: (st) => states.push(st) });
      clients.push(c);
      c.subscribe(topic, (e) => got.push(e), {
        sinceSeq: 0,
        // The stream could not replay: fetch what is missing from REST, as the web does.
        onResync: async ({ lastSeq }) => {
          resyncs++;
          const events = (await restEvents(gameId)).filter((e) => e.seq > (lastSeq ?? 0));
          return { events: events.map((e) => ({ ...e, topic })) }; // the client checks each payload
        },
      });
      return { c, got, states };
    };
    const subs = [subscriber([esA.ws, esB.ws]), subscriber([esB.ws, esA.ws]), subscriber([esA.ws, esB.ws])];
    let n = 0;
    const talk = async (count: number) => {
      for (let i = 0; i < count; i++, n++) await chat(n % 2 ? gsB : gsA, n % 2 ? p2.token : p1.token, gameId, `line ${n}`);
    };
    await talk(4);
    await move(gsA, p1.token, gameId, { cell: 4 });
    await until(() => subs.every((s) => s.got.length >= 7), 10_000, 'first events');

    // (a) the network drops one client; it resumes with sinceSeq.
    const cut = sockets.find((s) => s.url.startsWith(esA.ws) && s.readyState === WebSocket.OPEN)!;
    cut.terminate();
    await talk(3);

    // (b) an event-stream dies; its clients reconnect to the other one.
    await esA.kill('SIGKILL');
    await talk(3);
    await move(gsB, p2.token, gameId, { cell: 0 });

    // (c) Redis goes away for a few seconds: moves still commit, events follow later.
    await redis.stop();
    await talk(2);
    await move(gsA, p1.token, gameId, { cell: 8 });
    await sleep(2000);
    // Committed but not delivered while Redis is down.
    const committed = (await restEvents(gameId)).at(-1)!.seq;
    expect(Math.max(...subs.map((s) => s.got.at(-1)?.seq ?? 0))).toBeLessThan(committed);
    await redis.start();
    await talk(3);
    expect((await api(gsB.http, 'POST', `/games/${gameId}/resign`, { token: p2.token })).status).toBe(200);

    const truth = await restEvents(gameId);
    expect(truth.at(-1)?.kind).toBe('game.over');
    const seqs = truth.map((e) => e.seq);
    for (const s of subs) {
      await until(() => s.got.at(-1)?.seq === seqs.at(-1), 20_000, `seq ${seqs.at(-1)} (have ${s.got.at(-1)?.seq})`);
      expect(s.got.map((e) => e.seq)).toEqual(seqs);
      expect(s.got.map((e) => e.kind)).toEqual(truth.map((e) => e.kind));
    }
    // The two clients that were on esA lived through a reconnect.
    expect(subs[0]!.states.filter((st) => st === 'reconnecting').length).toBeGreaterThanOrEqual(1);
    expect(subs[2]!.states).toContain('reconnecting');
    console.log(`faults game: ${seqs.length} events, ${resyncs} resync(s) served from REST`);
    esA = await Service.start('event-stream', esEnv, esA.port); // back for the next test
  }, 90_000);

  it('a game-server killed while it owes an AI move: the other replica makes it', async () => {
    const p1 = await guest('Cy');
    const created = await api(gsA.http, 'POST', '/games', {
      token: p1.token,
      body: { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'championchimp' }, rated: false, seat: 0 },
    });
    expect(created.status).toBe(201);
    const gameId = created.body.game.id as string;
    const topic = `game:${gameId}` as Topic;
    const w = await TestClient.connect(esB.ws);
    raw.push(w);
    w.send({ type: 'subscribe', topic, sinceSeq: 0 });
    await w.next((m) => m.type === 'subscribed', 10_000);

    await move(gsA, p1.token, gameId, { cell: 4 });
    await gsA.kill('SIGKILL'); // it was about to think for the agent
    const atKill = (await api(gsB.http, 'GET', `/games/${gameId}`)).body.game;
    expect(atKill.moveCount).toBe(1); // the agent's reply was still owed when gsA died
    // Play on through gsB until the game ends; the agent answers each move from gsB.
    for (;;) {
      let g: { status: string; turn: number | null; agentThinking: boolean; moveCount: number } | undefined;
      await until(async () => {
        g = (await api(gsB.http, 'GET', `/games/${gameId}`)).body.game;
        return g!.status === 'finished' || (g!.turn === 0 && !g!.agentThinking);
      }, 60_000, () => `the agent to move (game: ${JSON.stringify(g && { status: g.status, turn: g.turn, moveCount: g.moveCount })})`);
      const snap = (await api(gsB.http, 'GET', `/games/${gameId}`)).body.game;
      if (snap.status === 'finished') break;
      await move(gsB, p1.token, gameId, snap.legalMoves[0]);
    }
    const truth = await restEvents(gameId);
    const agentMoves = truth.filter((e) => e.kind === 'move' && (e as { data?: { playerId?: string } }).data?.playerId !== p1.id);
    expect(agentMoves.length).toBeGreaterThanOrEqual(2); // the owed one (made by gsB) and the ones after
    await w.waitFor(() => w.seqs(topic).length >= truth.length, 10_000, 'all events');
    expect(w.seqs(topic)).toEqual(truth.map((e) => e.seq));
  }, 150_000);
});
