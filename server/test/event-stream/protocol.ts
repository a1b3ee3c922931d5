import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WS_PROTOCOL, wsProtocols, type Topic } from '@monkeytown/shared';
import { TokenService } from '../../src/auth/tokens.js';
import { DEFAULT_SESSION_SECRET } from '../../src/config/index.js';
import type { Bus } from '../../src/bus/index.js';
import type { EventStream } from '../../src/event-stream/index.js';
import { ev, gameTopicOf } from '../bus/contract.js';
import { TestClient, range, startTestStream } from './harness.js';

/** The protocol suite, run over each bus implementation (same protocol, same tests). */
export function protocolSuite(name: string, makeBus: (o?: { replayMaxLen?: number }) => Bus): void {
  describe(`event-stream protocol over ${name} bus`, () => {
    let bus: Bus;
    let es: EventStream;
    let url: string;
    const clients: TestClient[] = [];
    const connect = async (u = url, token?: string) => {
      const c = await TestClient.connect(u, token);
      clients.push(c);
      return c;
    };
    const subscribe = async (c: TestClient, topic: Topic, sinceSeq?: number) => {
      c.send({ type: 'subscribe', topic, ...(sinceSeq !== undefined ? { sinceSeq } : {}) });
      return c.next((m) => (m.type === 'subscribed' || m.type === 'error') && 'topic' in m && m.topic === topic);
    };

    beforeEach(async () => {
      bus = makeBus({ replayMaxLen: 50 });
      ({ es, url } = await startTestStream(bus));
    });
    afterEach(async () => {
      for (const c of clients.splice(0)) c.close();
      await es.close();
      await bus.close();
    });

    it('greets with hello; a token offered as a subprotocol identifies the player, a bad one is refused with 1008', async () => {
      const anon = await connect();
      expect(anon.of('hello')[0]).toMatchObject({ playerId: null, heartbeatMs: 20_000 });
      expect(anon.ws.protocol).toBe(WS_PROTOCOL);
      const token = await new TokenService(DEFAULT_SESSION_SECRET).sign('5b7c2a55-0000-4000-8000-000000000001');
      const player = await connect(url, token);
      expect(player.of('hello')[0]).toMatchObject({ playerId: '5b7c2a55-0000-4000-8000-000000000001' });
      expect(player.ws.protocol).toBe(WS_PROTOCOL); // the token protocol is never echoed back
      // A token in the URL is not read (it would land in access logs): the socket stays anonymous.
      const viaUrl = await connect(`${url}?token=${encodeURIComponent(token)}`);
      expect(viaUrl.of('hello')[0]).toMatchObject({ playerId: null });
      const forged = await new TokenService('some-other-secret-that-is-long-enough!!').sign('x');
      const bad = new WebSocket(url, wsProtocols(forged));
      const got: string[] = [];
      bad.on('message', (d) => got.push(d.toString()));
      const code = await new Promise<number>((r) => bad.once('close', (c) => r(c)));
      expect(code).toBe(1008);
      expect(JSON.parse(got[0]!)).toMatchObject({ type: 'error', code: 'unauthorized' });
    });

    it('subscribe without sinceSeq: live events from now on, in order, once', async () => {
      const topic = gameTopicOf();
      await bus.publish(range(1, 3).map((s) => ev(topic, s)));
      const a = await connect();
      expect(await subscribe(a, topic)).toMatchObject({ type: 'subscribed', topic });
      await bus.publish(range(4, 8).map((s) => ev(topic, s)));
      await a.waitFor(() => a.seqs(topic).length === 5);
      expect(a.seqs(topic)).toEqual([4, 5, 6, 7, 8]);
      const e = a.of('event')[0]!;
      expect(e).toMatchObject({ type: 'event', topic, seq: 4, kind: 'move', data: { n: 4 } });
    });

    it('subscribe with sinceSeq: exactly the missed events, then live ones', async () => {
      const topic = gameTopicOf();
      await bus.publish(range(1, 10).map((s) => ev(topic, s)));
      const a = await connect();
      await subscribe(a, topic, 4);
      await bus.publish([ev(topic, 11), ev(topic, 12)]);
      await a.waitFor(() => a.seqs(topic).length >= 8);
      await new Promise((r) => setTimeout(r, 100));
      expect(a.seqs(topic)).toEqual(range(5, 12));
    });

    it('no gap and no duplicate at the replay/live seam while events keep coming', async () => {
      const topic = gameTopicOf();
      await bus.publish([ev(topic, 1)]);
      let seq = 1;
      let publishing = true;
      // Publish one event per millisecond or so while sockets subscribe in between.
      const publisher = (async () => {
        while (publishing) {
          seq++;
          await bus.publish([ev(topic, seq)]);
          await new Promise((r) => setTimeout(r, 1));
        }
      })();
      const subs: { c: TestClient; at: number; since: number }[] = [];
      for (let i = 0; i < 8; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const c = await connect();
        const since = Math.max(0, seq - 10);
        subs.push({ c, at: seq, since });
        c.send({ type: 'subscribe', topic, sinceSeq: since });
      }
      // Keep publishing until every socket is live and well past its seam.
      await Promise.all(subs.map(({ c }) => c.next((m) => m.type === 'subscribed')));
      const target = seq + 20;
      while (seq < target) await new Promise((r) => setTimeout(r, 5));
      publishing = false;
      await publisher;
      const last = seq;
      for (const { c, at, since } of subs) {
        expect(last).toBeGreaterThan(at + 5); // live events followed the replay
        await c.waitFor(() => c.seqs(topic).at(-1) === last, 5000, `seq ${last}`);
        const got = c.seqs(topic);
        expect(c.of('resync')).toEqual([]);
        expect(got).toEqual(range(since + 1, last)); // contiguous, ordered, no duplicates
      }
    });

    it('resync when the buffer no longer reaches back, then live events', async () => {
      const topic = gameTopicOf();
      for (let i = 1; i <= 400; i += 100) await bus.publish(range(i, i + 99).map((s) => ev(topic, s)));
      const a = await connect();
      await subscribe(a, topic, 3);
      await a.next((m) => m.type === 'resync' && m.topic === topic);
      await bus.publish([ev(topic, 401)]);
      await a.waitFor(() => a.seqs(topic).includes(401));
      expect(a.seqs(topic)).toEqual([401]);
    });

    it('subscribing to a game nobody published gets not_found; one that appears within the grace works', async () => {
      const a = await connect();
      const ghost = gameTopicOf();
      expect(await subscribe(a, ghost)).toMatchObject({ type: 'error', code: 'not_found', topic: ghost });
      const fresh = gameTopicOf();
      a.send({ type: 'subscribe', topic: fresh, sinceSeq: 0 });
      await new Promise((r) => setTimeout(r, 50));
      await bus.publish([ev(fresh, 1, 'game.created')]);
      await a.next((m) => m.type === 'subscribed' && m.topic === fresh);
      await a.waitFor(() => a.seqs(fresh).length === 1);
      // the connection is fine afterwards
      a.send({ type: 'ping' });
      await a.next((m) => m.type === 'pong');
    });

    it('a client that has seen events (sinceSeq > 0) waits for a game the bus has not seen yet', async () => {
      // The relay can lag behind REST (load, Redis failover): the client holds a snapshot
      // at seq 2, so the game exists; it must get the events when they arrive, not not_found.
      const a = await connect();
      const lagging = gameTopicOf();
      expect(await subscribe(a, lagging, 2)).toMatchObject({ type: 'subscribed', topic: lagging });
      await bus.publish([ev(lagging, 1, 'game.created'), ev(lagging, 2), ev(lagging, 3)]);
      await a.waitFor(() => a.seqs(lagging).includes(3));
      expect(a.seqs(lagging)).toEqual([3]);
    });

    it('unsubscribe stops events; lobby events flow; other topics are not mixed in', async () => {
      const t1 = gameTopicOf();
      const t2 = gameTopicOf();
      await bus.publish([ev(t1, 1), ev(t2, 1)]);
      const a = await connect();
      await subscribe(a, t1);
      await subscribe(a, 'lobby');
      await bus.publish([ev(t1, 2), ev(t2, 2), ev('lobby', 99, 'lobby.game')]);
      await a.waitFor(() => a.seqs(t1).length === 1 && a.seqs('lobby').length === 1);
      a.send({ type: 'unsubscribe', topic: t1 });
      await a.next((m) => m.type === 'unsubscribed');
      await bus.publish([ev(t1, 3), ev('lobby', 100, 'lobby.game')]);
      await a.waitFor(() => a.seqs('lobby').length === 2);
      await new Promise((r) => setTimeout(r, 50));
      expect(a.seqs(t1)).toEqual([2]);
      expect(a.seqs(t2)).toEqual([]);
    });

    it('counts spectators and tells every watcher', async () => {
      const topic = gameTopicOf();
      await bus.publish([ev(topic, 1)]);
      const a = await connect();
      const b = await connect();
      await subscribe(a, topic);
      await subscribe(b, topic);
      const two = (c: TestClient) => c.waitFor(() => c.of('presence').at(-1)?.spectators === 2, 3000, 'presence 2');
      await two(a);
      await two(b);
      expect(await bus.spectatorCount(topic.slice(5))).toBe(2);
      b.close();
      await a.waitFor(() => a.of('presence').at(-1)?.spectators === 1, 3000, 'presence 1');
    });

    it('tells watchers which players have the game open, and since when one left', async () => {
      const topic = gameTopicOf();
      await bus.publish([ev(topic, 1)]);
      const tokens = new TokenService(DEFAULT_SESSION_SECRET);
      const P = '5b7c2a55-0000-4000-8000-0000000000a1';
      const Q = '5b7c2a55-0000-4000-8000-0000000000a2';
      const watcher = await connect();
      const p = await connect(url, await tokens.sign(P));
      const q = await connect(url, await tokens.sign(Q));
      const q2 = await connect(url, await tokens.sign(Q)); // a second tab of Q
      for (const c of [watcher, p, q, q2]) await subscribe(c, topic);
      type Players = { playerId: string; online: boolean; since: string }[];
      const players = (c: TestClient) => (c.of('presence').at(-1)?.players ?? []) as Players;
      const state = (c: TestClient) => players(c).map((x) => `${x.playerId}:${x.online}`).sort().join(',');
      await watcher.waitFor(() => state(watcher) === `${P}:true,${Q}:true`, 3000, 'both players online');
      expect(watcher.of('presence').at(-1)?.spectators).toBe(4);
      // One of Q's two tabs closes: Q is still there.
      q2.close();
      await watcher.waitFor(() => watcher.of('presence').at(-1)?.spectators === 3, 3000, 'three watchers');
      expect(state(watcher)).toBe(`${P}:true,${Q}:true`);
      const left = Date.now();
      q.close();
      await watcher.waitFor(() => state(watcher) === `${P}:true,${Q}:false`, 3000, 'Q offline');
      const since = Date.parse(players(watcher).find((x) => x.playerId === Q)!.since);
      expect(since).toBeGreaterThanOrEqual(left - 50);
      expect(since).toBeLessThanOrEqual(Date.now());
      // The game-server reads the same presence for claims.
      expect((await bus.playerPresence(topic.slice(5))).map((x) => `${x.playerId}:${x.online}`).sort()).toEqual([`${P}:true`, `${Q}:false`]);
      // Q comes back.
      const q3 = await connect(url, await tokens.sign(Q));
      await subscribe(q3, topic);
      await p.waitFor(() => state(p) === `${P}:true,${Q}:true`, 3000, 'Q back');
    });

    it('answers app pings and serves health and metrics', async () => {
      const a = await connect();
      a.send({ type: 'ping' });
      await a.next((m) => m.type === 'pong');
      const base = url.replace('ws://', 'http://').replace('/ws', '');
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^mt_es_connections 1$/m);
      expect(metrics).toContain('mt_es_dropped_slow_consumers_total');
      const nf = await fetch(`${base}/nope`);
      expect(nf.status).toBe(404);
      expect(await nf.json()).toMatchObject({ error: { code: 'not_found' } });
    });

    it('closes sockets with 1012 on shutdown', async () => {
      const a = await connect();
      await es.close();
      expect((await a.closed).code).toBe(1012);
    });
  });
}
