import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topic } from '@monkeytown/shared';
import { createMemoryBus, type Bus } from '../../src/bus/index.js';
import { createPgliteDb } from '../../src/db/pglite.js';
import type { Db } from '../../src/db/index.js';
import { startGameServer, type GameServer } from '../../src/game-server/start.js';
import type { EventStream } from '../../src/event-stream/index.js';
import { testConfig } from '../helpers/server.js';
import { TestClient, startTestStream } from './harness.js';

// Embedded mode (what `npm start` runs without REDIS_URL): game-server on PGlite and the
// event-stream in one process over one in-process bus; the same protocol end to end.
describe('embedded mode: game-server and event-stream over the in-process bus', () => {
  let db: Db;
  let bus: Bus;
  let gs: GameServer;
  let es: EventStream;
  let api: string;
  let wsUrl: string;
  beforeAll(async () => {
    db = await createPgliteDb();
    bus = createMemoryBus();
    gs = await startGameServer({ config: testConfig({ DISCONNECT_CLAIM_SECONDS: '1' }), db, bus });
    api = `http://127.0.0.1:${gs.port}/api`;
    ({ es, url: wsUrl } = await startTestStream(bus));
  }, 60_000);
  afterAll(async () => {
    await es?.close();
    await gs?.close();
    await bus?.close();
    await db?.close();
  });

  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('a game against an agent reaches the player and a spectator completely, in order', async () => {
    const me = (await call('POST', '/players', undefined, { name: 'Embedded' })).body;
    const created = await call('POST', '/games', me.token, {
      type: 'tictactoe',
      opponent: { kind: 'agent', agentId: 'wildcardlemur' },
      rated: false,
      seat: 0,
    });
    expect(created.status).toBe(201);
    const gameId = created.body.game.id as string;
    const topic = `game:${gameId}` as Topic;
    const player = await TestClient.connect(wsUrl, me.token);
    const spectator = await TestClient.connect(wsUrl);
    for (const c of [player, spectator]) c.send({ type: 'subscribe', topic, sinceSeq: 0 });
    expect(player.of('hello')[0]).toMatchObject({ playerId: me.player.id });

    for (let i = 0; i < 9; i++) {
      const g = (await call('GET', `/games/${gameId}`)).body.game;
      if (g.status === 'finished') break;
      if (g.turn !== 0 || g.agentThinking) {
        await new Promise((r) => setTimeout(r, 30));
        i--;
        continue;
      }
      const r = await call('POST', `/games/${gameId}/moves`, me.token, { move: g.legalMoves[0], expectedSeq: g.seq });
      expect([200, 201, 409]).toContain(r.status);
    }
    const events = (await call('GET', `/games/${gameId}/events?after=0`)).body.events as { seq: number; kind: string }[];
    expect(events.at(-1)?.kind).toBe('game.over');
    for (const c of [player, spectator]) {
      await c.waitFor(() => c.seqs(topic).length >= events.length, 10_000, 'all events');
      expect(c.seqs(topic)).toEqual(events.map((e) => e.seq));
      expect(c.of('event').map((e) => e.kind)).toEqual(events.map((e) => e.kind));
      c.close();
    }
  }, 60_000);

  it('an opponent who closes the tab shows as gone on the other screen and can be claimed after claimAfterSeconds', async () => {
    const a = (await call('POST', '/players', undefined, { name: 'Stayer' })).body;
    const b = (await call('POST', '/players', undefined, { name: 'Leaver' })).body;
    const created = await call('POST', '/games', a.token, { type: 'connect4', opponent: { kind: 'open' }, rated: false, seat: 0 });
    const gameId = created.body.game.id as string;
    const topic = `game:${gameId}` as Topic;
    expect((await call('POST', `/games/${gameId}/join`, b.token)).status).toBe(200);
    const pa = await TestClient.connect(wsUrl, a.token);
    const pb = await TestClient.connect(wsUrl, b.token);
    for (const c of [pa, pb]) c.send({ type: 'subscribe', topic });
    type P = { playerId: string; online: boolean; since: string };
    const seen = (c: TestClient, id: string) => ((c.of('presence').at(-1)?.players ?? []) as P[]).find((p) => p.playerId === id);
    await pa.waitFor(() => seen(pa, b.player.id)?.online === true, 5000, 'B online');
    const seq = (await call('GET', `/games/${gameId}`)).body.game.seq as number;
    const here = await call('POST', `/games/${gameId}/claim`, a.token, { outcome: 'win', expectedSeq: seq });
    expect(here.body.error.code).toBe('not_claimable');
    pb.close(); // B closes the tab
    await pa.waitFor(() => seen(pa, b.player.id)?.online === false, 5000, 'B gone');
    const gone = Date.parse(seen(pa, b.player.id)!.since);
    await new Promise((r) => setTimeout(r, Math.max(0, gone + 1100 - Date.now())));
    const ok = await call('POST', `/games/${gameId}/claim`, a.token, { outcome: 'win', expectedSeq: seq });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.game.result).toEqual({ winner: 0, reason: 'left' });
    await pa.waitFor(() => pa.of('event').some((e) => e.kind === 'game.over'), 5000, 'game.over on the socket');
    pa.close();
  }, 60_000);
});
