import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusEvent, Topic } from '@monkeytown/shared';
import type { Bus } from '../../src/bus/index.js';

/** Makes a fresh bus; `replayMaxLen` small for the trimming test. `peer` shares its backend. */
export interface BusFactory {
  make(opts?: { replayMaxLen?: number }): Bus;
  /** A second bus over the same backend (another process, for Redis); memory returns the same. */
  peer(bus: Bus): Bus;
}

export const gameTopicOf = (id = randomUUID()): Topic => `game:${id}` as Topic;
export const ev = (topic: Topic, seq: number, kind = 'move'): BusEvent => ({
  topic,
  seq,
  kind,
  data: { n: seq },
  at: new Date(0).toISOString(),
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** Signed-in players as an event-stream reports them (token version 0 unless given). */
const on = (...ids: string[]) => ids.map((playerId) => ({ playerId, tokenVersion: 0 }));
/** A player id that looks like one (`n` makes it unique within a test). */
const pid = (n: number) => `5b7c2a55-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Resolves when `pred` holds (polled), rejects after `ms`. */
export async function until(pred: () => boolean | Promise<boolean>, ms = 5000, what: string | (() => string) = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The same behaviour, asserted against every EventBus implementation. */
export function busContract(name: string, factory: BusFactory): void {
  describe(`EventBus contract: ${name}`, () => {
    const open: Bus[] = [];
    const make = (opts?: { replayMaxLen?: number }) => {
      const b = factory.make(opts);
      open.push(b);
      return b;
    };
    const peer = (b: Bus) => {
      const p = factory.peer(b);
      if (p !== b) open.push(p);
      return p;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((b) => b.close()));
    });

    it('delivers published events to every subscriber in order, across bus instances', async () => {
      const a = make();
      const b = peer(a);
      const topic = gameTopicOf();
      const gotA: number[] = [];
      const gotB: number[] = [];
      await a.subscribe(topic, (e) => gotA.push(e.seq));
      await b.subscribe(topic, (e) => gotB.push(e.seq));
      for (let i = 1; i <= 50; i += 5) await a.publish(range(i, i + 4).map((s) => ev(topic, s)));
      // Which seqs a short subscriber holds tells a late SUBSCRIBE (the last ones) from a lost connection (the first ones).
      await until(() => gotA.length === 50 && gotB.length === 50, 10_000, () => `all events (a: ${gotA.length} [${gotA.join(',')}], b: ${gotB.length} [${gotB.join(',')}])`);
      expect(gotA).toEqual(range(1, 50));
      expect(gotB).toEqual(range(1, 50));
    });

    it('does not deliver or store a game seq twice (relay retry)', async () => {
      const a = make();
      const topic = gameTopicOf();
      const got: number[] = [];
      await a.subscribe(topic, (e) => got.push(e.seq));
      await a.publish([ev(topic, 1), ev(topic, 2)]);
      await a.publish([ev(topic, 2), ev(topic, 3)]);
      await a.publish([ev(topic, 1)]);
      await until(() => got.length >= 3);
      await new Promise((r) => setTimeout(r, 50));
      expect(got).toEqual([1, 2, 3]);
      expect((await a.replay(topic, 0)).events.map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    describe('a game\'s order: strictly by seq, whoever publishes and in whatever order', () => {
      it('parks an event whose predecessor is not out yet and sends it right behind it', async () => {
        const a = make();
        const b = peer(a);
        const topic = gameTopicOf();
        const got: number[] = [];
        await b.subscribe(topic, (e) => got.push(e.seq));
        expect(await a.publish([ev(topic, 1)])).toEqual(['published']);
        // 3 and 4 arrive before 2 (another replica's commit, still publishing): they wait, nothing skips 2.
        expect(await b.publish([ev(topic, 4), ev(topic, 3)])).toEqual(['parked', 'parked']);
        expect(await a.lastSeq(topic)).toBe(1);
        expect(await a.publish([ev(topic, 2)])).toEqual(['published']);
        await until(() => got.length >= 4, 5000, () => `events (${got})`);
        expect(await b.lastSeq(topic)).toBe(4);
        // The late second copies (the relay's) are duplicates.
        expect(await b.publish([ev(topic, 3), ev(topic, 4), ev(topic, 5)])).toEqual(['duplicate', 'duplicate', 'published']);
        await until(() => got.length >= 5);
        await new Promise((r) => setTimeout(r, 50));
        expect(got).toEqual([1, 2, 3, 4, 5]);
        expect((await a.replay(topic, 0)).events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      });

      it('delivers every seq once, in order, to every subscriber when publishers race in random order', async () => {
        const a = make();
        const b = peer(a);
        const topic = gameTopicOf();
        const gotA: number[] = [];
        const gotB: number[] = [];
        await a.subscribe(topic, (e) => gotA.push(e.seq));
        await b.subscribe(topic, (e) => gotB.push(e.seq));
        // 200 seqs handed out to two publishers in chunks, each chunk shuffled, published concurrently.
        const n = 200;
        const seqs = range(1, n);
        const chunks: number[][] = [];
        for (let i = 0; i < n; i += 7) chunks.push(seqs.slice(i, i + 7).sort(() => Math.random() - 0.5));
        await Promise.all(chunks.map((c, i) => (i % 2 ? a : b).publish(c.map((s) => ev(topic, s)))));
        await until(() => gotA.length >= n && gotB.length >= n, 10_000, () => `events (a: ${gotA.length}, b: ${gotB.length})`);
        expect(gotA).toEqual(seqs);
        expect(gotB).toEqual(seqs);
        expect((await a.replay(topic, 0)).events.map((e) => e.seq)).toEqual(seqs);
      });

      it('does not place a game it knows nothing of until a publish gives its floor', async () => {
        const a = make();
        const topic = gameTopicOf();
        const got: number[] = [];
        await a.subscribe(topic, (e) => got.push(e.seq));
        // Seq 41 of a game whose last seq the bus lost (a wiped Redis): not placed.
        expect(await a.publish([ev(topic, 41)])).toEqual(['unanchored']);
        expect(await a.lastSeq(topic)).toBeNull();
        // The relay: 40 is the game's lowest unpublished seq in the outbox, so 1..39 went out.
        expect(await a.publish([ev(topic, 40), ev(topic, 41)], new Map([[topic, 40]]))).toEqual(['published', 'duplicate']);
        expect(await a.publish([ev(topic, 42)])).toEqual(['published']);
        await until(() => got.length >= 3);
        expect(got).toEqual([40, 41, 42]);
        // A floor never lowers what the bus knows: a stale floor is harmless.
        expect(await a.publish([ev(topic, 40), ev(topic, 43)], new Map([[topic, 40]]))).toEqual(['duplicate', 'published']);
        expect(await a.lastSeq(topic)).toBe(43);
      });

      it('answers each event of a publish spanning several games and the lobby, in the order handed in', async () => {
        const a = make();
        const b = peer(a);
        const [t1, t2, t3] = [gameTopicOf(), gameTopicOf(), gameTopicOf()];
        const got: string[] = [];
        for (const t of [t1, t2, t3]) await b.subscribe(t, (e) => got.push(`${e.topic}#${e.seq}`));
        await a.publish([ev(t2, 1), ev(t3, 1)]);
        // One batch: t1 in order, t2 with its 3 before its 2, a lobby event between them, t3 a second copy.
        const answers = await a.publish([
          ev(t1, 1), ev(t2, 3), ev(t1, 2), ev('lobby', 7, 'lobby.game'), ev(t2, 2), ev(t3, 1), ev(t3, 2),
        ]);
        expect(answers).toEqual(['published', 'parked', 'published', 'published', 'published', 'duplicate', 'published']);
        await until(() => got.length >= 7, 5000, () => `events (${got})`);
        const of = (t: Topic) => got.filter((g) => g.startsWith(`${t}#`));
        expect([of(t1), of(t2), of(t3)]).toEqual([[`${t1}#1`, `${t1}#2`], [1, 2, 3].map((s) => `${t2}#${s}`), [`${t3}#1`, `${t3}#2`]]);
        expect(await b.lastSeq(t2)).toBe(3);
      });

      it('publishes a backlog of hundreds in one call, every event in order', async () => {
        const a = make();
        const topic = gameTopicOf();
        const got: number[] = [];
        await a.subscribe(topic, (e) => got.push(e.seq));
        // The relay's catch-up after an outage: more events than one script call carries.
        const answers = await a.publish(range(1, 600).map((s) => ev(topic, s)));
        expect(answers.length).toBe(600);
        expect(answers.every((r) => r === 'published')).toBe(true);
        await until(() => got.length >= 600, 5000, () => `events (${got.length})`);
        expect(got).toEqual(range(1, 600));
      });
    });

    it('keeps topics apart and carries the event unchanged', async () => {
      const a = make();
      const t1 = gameTopicOf();
      const t2 = gameTopicOf();
      const got: BusEvent[] = [];
      await a.subscribe(t1, (e) => got.push(e));
      const e2 = { ...ev(t2, 1), data: { x: 'other' } };
      const e1 = { ...ev(t1, 1, 'chat'), data: { text: 'ünïcødé 🐒', nested: [1, null, true] } };
      await a.publish([e2, e1]);
      await until(() => got.length === 1);
      expect(got[0]).toEqual(e1);
    });

    it('replays exactly the events after sinceSeq', async () => {
      const a = make();
      const topic = gameTopicOf();
      await a.publish(range(1, 10).map((s) => ev(topic, s)));
      const r5 = await a.replay(topic, 5);
      expect(r5.complete).toBe(true);
      expect(r5.events.map((e) => e.seq)).toEqual([6, 7, 8, 9, 10]);
      expect(r5.events[0]).toEqual(ev(topic, 6));
      // `last`: the topic's last seq, read in the same atomic step (the event-stream's resume point).
      expect(await a.replay(topic, 10)).toEqual({ events: [], complete: true, last: 10 });
      expect((await a.replay(topic, 7)).last).toBe(10);
      expect((await a.replay(topic, 0)).events).toHaveLength(10);
      expect(await a.lastSeq(topic)).toBe(10);
      expect(await a.lastSeq(gameTopicOf())).toBeNull();
      expect(await a.replay(gameTopicOf(), 0)).toEqual({ events: [], complete: true, last: null });
    });

    it('reports complete:false once the buffer no longer reaches back', async () => {
      const a = make({ replayMaxLen: 10 });
      const topic = gameTopicOf();
      // Redis trims approximately (MAXLEN ~): publish well past the bound.
      for (let i = 1; i <= 500; i += 100) await a.publish(range(i, i + 99).map((s) => ev(topic, s)));
      const old = await a.replay(topic, 0);
      expect(old.complete).toBe(false);
      expect(old.events.length).toBeLessThan(500);
      expect(old.events.at(-1)?.seq).toBe(500);
      const recent = await a.replay(topic, 495);
      expect(recent).toMatchObject({ complete: true });
      expect(recent.events.map((e) => e.seq)).toEqual([496, 497, 498, 499, 500]);
    });

    it('stops delivering after unsubscribe, other subscribers keep receiving', async () => {
      const a = make();
      const topic = gameTopicOf();
      const one: number[] = [];
      const two: number[] = [];
      const off1 = await a.subscribe(topic, (e) => one.push(e.seq));
      const off2 = await a.subscribe(topic, (e) => two.push(e.seq));
      await a.publish([ev(topic, 1)]);
      await until(() => one.length === 1 && two.length === 1);
      await off1();
      await a.publish([ev(topic, 2)]);
      await until(() => two.length === 2);
      await off2();
      await a.publish([ev(topic, 3)]);
      await new Promise((r) => setTimeout(r, 100));
      expect(one).toEqual([1]);
      expect(two).toEqual([1, 2]);
      // resubscribing after the last unsubscribe works
      const three: number[] = [];
      await a.subscribe(topic, (e) => three.push(e.seq));
      await a.publish([ev(topic, 4)]);
      await until(() => three.length === 1);
      expect(three).toEqual([4]);
    });

    describe('the lobby: seqs assigned by the bus as it publishes', () => {
      /** A lobby event handed in with its id (the outbox id) in `seq`; `data.n` keeps the id. */
      const lobby = (id: number) => ev('lobby', id, 'lobby.game');
      const idsOf = (got: BusEvent[]) => got.map((e) => (e.data as { n: number }).n);
      const contiguous = (seqs: number[]) => seqs.every((s, i) => i === 0 || s === seqs[i - 1]! + 1);

      it('numbers events in delivery order: contiguous, the same on every subscriber, whichever instance publishes', async () => {
        const a = make();
        const b = peer(a);
        const subs: BusEvent[][] = [[], [], []];
        await a.subscribe('lobby', (e) => subs[0]!.push(e));
        await a.subscribe('lobby', (e) => subs[1]!.push(e));
        await b.subscribe('lobby', (e) => subs[2]!.push(e));
        // Two "replicas" publish at once, both ways, ids deliberately out of order.
        const rounds = 20;
        await Promise.all(range(1, rounds).flatMap((r) => [
          a.publish([lobby(1000 + r), lobby(3000 + r)]),
          b.publish([lobby(2000 + r)]),
          b.publish([lobby(500 - r)]),
        ]));
        const n = rounds * 4;
        await until(() => subs.every((g) => g.length >= n), 10_000, () => `lobby events (${subs.map((g) => g.length)})`);
        await new Promise((r) => setTimeout(r, 50));
        const first = subs[0]!;
        expect(first).toHaveLength(n);
        expect(contiguous(first.map((e) => e.seq))).toBe(true);
        expect(new Set(idsOf(first)).size).toBe(n);
        for (const got of subs.slice(1)) expect(got).toEqual(first);
        expect(await a.lastSeq('lobby')).toBe(first.at(-1)!.seq);
      });

      it('drops a second publish of the same event (committing process and relay both got to it)', async () => {
        const a = make();
        const got: BusEvent[] = [];
        await a.subscribe('lobby', (e) => got.push(e));
        expect(await a.publish([lobby(5)])).toEqual(['published']);
        expect(await a.publish([lobby(5), lobby(6)])).toEqual(['duplicate', 'published']);
        expect(await a.publish([lobby(6), lobby(7)])).toEqual(['duplicate', 'published']);
        await until(() => got.length >= 3);
        await new Promise((r) => setTimeout(r, 50));
        expect(idsOf(got)).toEqual([5, 6, 7]);
        expect(contiguous(got.map((e) => e.seq))).toBe(true);
        expect(got[0]).toEqual({ ...lobby(5), seq: got[0]!.seq });
      });

      it('never delivers an older state of a game than one already delivered', async () => {
        const a = make();
        const b = peer(a);
        const got: BusEvent[] = [];
        await b.subscribe('lobby', (e) => got.push(e));
        const G = '0b8f3c1e-0000-4000-8000-000000000001';
        const row = (id: number, gameSeq: number, gameId = G): BusEvent => ({ ...lobby(id), data: { n: id, game: { id: gameId, seq: gameSeq } } });
        // Two replicas' rows of one game, published newest first: the older one is dropped.
        expect(await a.publish([row(10, 7)])).toEqual(['published']);
        expect(await b.publish([row(9, 5)])).toEqual(['duplicate']);
        expect(await b.publish([row(11, 7), row(12, 8), row(13, 1, '0b8f3c1e-0000-4000-8000-000000000002')])).toEqual(['published', 'published', 'published']);
        await until(() => got.length >= 4);
        await new Promise((r) => setTimeout(r, 50));
        expect(idsOf(got)).toEqual([10, 11, 12, 13]);
        expect(contiguous(got.map((e) => e.seq))).toBe(true);
      });

      it('replays after sinceSeq; complete:false once the buffer no longer reaches back', async () => {
        const a = make({ replayMaxLen: 10 });
        expect(await a.lastSeq('lobby')).toBeNull();
        await a.publish(range(1, 5).map(lobby));
        const last = (await a.lastSeq('lobby'))!;
        const r = await a.replay('lobby', last - 2);
        expect(r.complete).toBe(true);
        expect(r.events.map((e) => e.seq)).toEqual([last - 1, last]);
        expect(idsOf(r.events)).toEqual([4, 5]);
        expect(await a.replay('lobby', last)).toEqual({ events: [], complete: true, last });
        for (let i = 6; i <= 500; i += 99) await a.publish(range(i, i + 98).map(lobby));
        const old = await a.replay('lobby', last);
        expect(old.complete).toBe(false);
        expect(old.events.at(-1)?.seq).toBe(last + 495);
      });

      it('starts a counter at the clock in microseconds: above any seq an earlier, lost counter gave', async () => {
        const before = Date.now() * 1000;
        const a = make();
        await a.publish([lobby(1)]);
        const seq = (await a.lastSeq('lobby'))!;
        expect(seq).toBeGreaterThan(before - 5_000_000); // a Redis clock may differ by a little
        expect(seq).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
        expect(Number.isSafeInteger(seq)).toBe(true);
      });
    });

    it('sums spectator presence across replicas and announces changes', async () => {
      const a = make();
      const b = peer(a);
      const topic = gameTopicOf();
      const changed: string[] = [];
      await a.onPresence((t) => changed.push(t));
      await a.setPresence(topic, 3);
      if (b !== a) await b.setPresence(topic, 2);
      const expected = b !== a ? 5 : 3;
      expect(await a.spectatorCount(topic)).toBe(expected);
      expect(await a.spectatorCount(topic.slice('game:'.length))).toBe(expected);
      await until(() => changed.includes(topic), 2000, 'presence notification');
      await a.setPresence(topic, 0);
      expect(await b.spectatorCount(topic)).toBe(b !== a ? 2 : 0);
    });

    it('tracks each player of a game across replicas: online, then offline since they left', async () => {
      const a = make();
      const b = peer(a);
      const topic = gameTopicOf();
      const P = '5b7c2a55-0000-4000-8000-00000000000a';
      const Q = '5b7c2a55-0000-4000-8000-00000000000b';
      const t0 = Date.now();
      // P watches on replica a, Q on replica b (one process: both on a).
      await a.setPresence(topic, b !== a ? 1 : 2, b !== a ? on(P) : on(P, Q));
      if (b !== a) await b.setPresence(topic, 1, on(Q));
      const now = await a.playerPresence(topic.slice('game:'.length));
      expect(now.map((p) => [p.playerId, p.online]).sort()).toEqual([[P, true], [Q, true]]);
      for (const p of now) expect(Date.parse(p.since)).toBeGreaterThanOrEqual(t0 - 1000);
      const t1 = Date.now();
      if (b !== a) await b.setPresence(topic, 0, []);
      else await a.setPresence(topic, 1, on(P));
      const after = await b.playerPresence(topic);
      expect(after.find((p) => p.playerId === P)).toMatchObject({ online: true });
      const q = after.find((p) => p.playerId === Q)!;
      expect(q.online).toBe(false);
      expect(Date.parse(q.since)).toBeGreaterThanOrEqual(t1 - 1000);
      expect(Date.parse(q.since)).toBeLessThanOrEqual(Date.now() + 1000);
      // Back again: online, since its return.
      if (b !== a) await b.setPresence(topic, 1, on(Q));
      else await a.setPresence(topic, 2, on(P, Q));
      expect((await a.playerPresence(topic)).find((p) => p.playerId === Q)).toMatchObject({ online: true });
      expect(await a.playerPresence(gameTopicOf())).toEqual([]);
    });

    it('reads count and players of many topics at once, each as its own reads would (what the event-stream shows)', async () => {
      const a = make();
      const b = peer(a);
      const P = '5b7c2a55-0000-4000-8000-00000000000c';
      const topics = [gameTopicOf(), gameTopicOf(), gameTopicOf()];
      // Written in one tick (one pipeline on Redis), each topic its own numbers.
      await Promise.all([a.setPresence(topics[0]!, 2, on(P)), a.setPresence(topics[1]!, 1, []), b.setPresence(topics[2]!, 0, [])]);
      // Read in one tick too: each answer is that topic's, equal to its separate reads.
      const both = await Promise.all(topics.map((t) => b.presence(t)));
      const separate = await Promise.all(topics.map(async (t) => ({ spectators: await a.spectatorCount(t), players: await a.playerPresence(t), seats: null })));
      expect(both).toEqual(separate);
      expect(both.map((x) => x.spectators)).toEqual([2, 1, 0]);
      expect(both[0]!.players.map((p) => [p.playerId, p.online])).toEqual([[P, true]]);
      expect(both[1]!.players).toEqual([]);
      expect(await a.presence(topics[1]!.slice('game:'.length))).toEqual({ spectators: 1, players: [], seats: null });
    });

    it('seats set for many games in one turn (one pipeline on Redis) each reach their own game, the newest winning', async () => {
      const a = make();
      const b = peer(a);
      const topics = [gameTopicOf(), gameTopicOf(), gameTopicOf()];
      const [X, O, Z] = [pid(1), pid(2), pid(3)];
      // A batch of creations and joins seats its games in one turn; a game seated twice in it keeps the last.
      await Promise.all([a.setSeats(topics[0]!, [X, null]), a.setSeats(topics[1]!, [O, X]), a.setSeats(topics[2]!, [Z, null]), a.setSeats(topics[0]!, [X, O])]);
      const seats = await Promise.all(topics.map(async (t) => (await b.presence(t)).seats));
      expect(seats).toEqual([[X, O], [O, X], [Z, null]]);
    });

    it('a crowd of signed-in watchers never hides a seated player: looked up by id, and listed first', async () => {
      const a = make();
      const b = peer(a);
      const topic = gameTopicOf();
      const [X, O] = [pid(1), pid(2)];
      await a.setSeats(topic, [X, O]);
      // X on one replica, O on the other, then 100 signed-in watchers arrive on both.
      await a.setPresence(topic, 1, on(X));
      await new Promise((r) => setTimeout(r, 5));
      const crowd = range(100, 199).map(pid);
      if (b !== a) {
        await b.setPresence(topic, 51, on(O, ...crowd.slice(0, 50)));
        await a.setPresence(topic, 51, on(X, ...crowd.slice(50)));
      } else {
        await a.setPresence(topic, 102, on(X, O, ...crowd));
      }
      const standing = await a.standing(topic, [X, O, pid(999)]);
      expect(standing.map((p) => [p.playerId, p.online])).toEqual([[X, true], [O, true]]); // never seen: left out
      const listed = await b.playerPresence(topic);
      expect(listed).toHaveLength(64);
      expect(listed.slice(0, 2).map((p) => [p.playerId, p.online])).toEqual([[X, true], [O, true]]);
      // The event-stream is told the seats with the list (it sends their changes at once).
      expect((await b.presence(topic)).seats).toEqual([X, O]);
      // O leaves: still looked up and listed first, offline, whatever the crowd.
      const left = Date.now();
      if (b !== a) await b.setPresence(topic, 50, on(...crowd.slice(0, 50)));
      else await a.setPresence(topic, 101, on(X, ...crowd));
      const [o] = await b.standing(topic, [O]);
      expect(o).toMatchObject({ playerId: O, online: false });
      expect(Date.parse(o!.since)).toBeGreaterThanOrEqual(left - 1000);
      expect((await a.playerPresence(topic))[1]).toMatchObject({ playerId: O, online: false });
    });

    it('standing carries the newest token version among a player\'s streams', async () => {
      const a = make();
      const b = peer(a);
      const topic = gameTopicOf();
      const P = pid(3);
      await a.setPresence(topic, 1, [{ playerId: P, tokenVersion: 2 }]);
      if (b !== a) await b.setPresence(topic, 1, [{ playerId: P, tokenVersion: 0 }]);
      expect(await b.standing(topic, [P])).toEqual([expect.objectContaining({ playerId: P, online: true, tokenVersion: 2 })]);
      await a.setPresence(topic, 1, [{ playerId: P, tokenVersion: 3 }]);
      expect((await b.standing(topic, [P]))[0]?.tokenVersion).toBe(3);
    });

    it('announces a sign-out to every replica and remembers the token floor (never lowered)', async () => {
      const a = make();
      const b = peer(a);
      const P = pid(4);
      const heard: [string, number][] = [];
      await b.onSignOut((id, v) => heard.push([id, v]));
      expect(await b.tokenFloors([P])).toEqual(new Map());
      await a.signOut(P, 2);
      await until(() => heard.length === 1, 2000, 'sign-out announcement');
      expect(heard).toEqual([[P, 2]]);
      await a.signOut(P, 1); // answered late: announced, but the floor stays
      expect(await b.tokenFloors([P, pid(5)])).toEqual(new Map([[P, 2]]));
    });

    it('answers ping', async () => {
      const a = make();
      await until(() => a.ping(), 3000, 'ping');
    });
  });
}
