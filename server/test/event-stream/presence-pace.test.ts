import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Topic } from '@monkeytown/shared';
import { createMemoryBus, type Bus } from '../../src/bus/index.js';
import { Presence, type PresenceMember } from '../../src/event-stream/presence.js';
import { gameTopicOf } from '../bus/contract.js';

// The pace of presence broadcasts (issue 28), on the event-stream's own Presence over the
// in-process bus with fake timers: arrivals are placed in time exactly, so the counts do
// not depend on the machine's load. The same over Redis with real sockets:
// presence-crowd.test.ts.

type Shown = { spectators: number; players: { playerId: string; online: boolean }[] };

/** A socket's game subscription as Presence sees it: one write per state it did not have (as subscription.ts). */
class Member implements PresenceMember {
  writes = 0;
  last: string | null = null;
  constructor(
    readonly playerId: string | null = null,
    readonly tokenVersion = 0,
  ) {}
  presence(key: string): void {
    if (key === this.last) return;
    this.last = key;
    this.writes++;
  }
  get shown(): Shown | null {
    return this.last === null ? null : (JSON.parse(this.last) as Shown);
  }
}

const X = '5b7c2a55-0000-4000-8000-0000000000f1';
const O = '5b7c2a55-0000-4000-8000-0000000000f2';
const online = (m: Member, id: string) => m.shown?.players.find((p) => p.playerId === id)?.online;

describe('presence pace', () => {
  let bus: Bus;
  let presence: Presence;
  let topic: Topic;
  const members: Member[] = [];
  const writes = () => members.reduce((n, m) => n + m.writes, 0);
  const arrive = (m = new Member()) => {
    members.push(m);
    presence.add(topic, m);
    return m;
  };

  beforeEach(async () => {
    vi.useFakeTimers();
    bus = createMemoryBus();
    presence = new Presence(bus, { warn: () => {} });
    await presence.start();
    topic = gameTopicOf();
    await bus.setSeats(topic, [X, O]);
    members.length = 0;
  });
  afterEach(async () => {
    await presence.close();
    await bus.close();
    vi.useRealTimers();
  });

  it('200 spectators arriving one every 100 ms cost O(N) presence messages, and all end up seeing the exact state', async () => {
    const x = arrive(new Member(X));
    arrive(new Member(O));
    await vi.advanceTimersByTimeAsync(1000);
    expect(online(x, O)).toBe(true);
    const N = 200;
    const before = writes();
    // One arrival per read window: before pacing each one was sent to everybody there
    // (3 + 4 + … + 202 ≈ 20,500 messages).
    for (let i = 0; i < N; i++) {
      arrive();
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(2000); // the crowd settles
    const cost = writes() - before;
    console.log(`presence pace: ${N} arrivals, one per 100 ms → ${cost} presence messages (one to everybody per arrival: ~20,500)`);
    // Each arrival's own state (N), the paid broadcasts (≤ 2 per change), the settled one.
    expect(cost).toBeLessThanOrEqual(4 * N);
    for (const m of members) {
      expect(m.shown).toMatchObject({ spectators: N + 2 });
      expect([online(m, X), online(m, O)]).toEqual([true, true]);
    }
  });

  it('an arrival is told who is there with the next read, by itself; the others hear of it paced', async () => {
    arrive(new Member(X));
    arrive(new Member(O));
    for (let i = 0; i < 50; i++) arrive();
    await vi.advanceTimersByTimeAsync(2000);
    expect(members.every((m) => m.shown?.spectators === 52)).toBe(true);
    const before = writes();
    const late = arrive();
    // With the read its arrival brings (write 50 ms + read 100 ms debounce): itself counted.
    await vi.advanceTimersByTimeAsync(200);
    expect(late.shown).toMatchObject({ spectators: 53 });
    expect(members.filter((m) => m.shown?.spectators === 52)).toHaveLength(52);
    expect(writes() - before).toBe(1);
    // The others within the settle time (250 ms of quiet after the read), not later.
    await vi.advanceTimersByTimeAsync(400);
    expect(members.every((m) => m.shown?.spectators === 53)).toBe(true);
  });

  it('a seated player leaving reaches everyone at once, however large the crowd', async () => {
    const x = arrive(new Member(X));
    const o = arrive(new Member(O));
    for (let i = 0; i < 2000; i++) arrive();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(online(x, O)).toBe(true);
    // A crowd this size waits 500 ms of quiet for a count change; a seat does not wait.
    presence.remove(topic, o);
    members.splice(members.indexOf(o), 1);
    await vi.advanceTimersByTimeAsync(200); // the write (50 ms) and read (100 ms) debounces
    expect(members.every((m) => online(m, O) === false)).toBe(true);
  });

  it('a crowd that keeps coming and going pays for its broadcasts: at most ~2 messages per change', async () => {
    arrive(new Member(X));
    arrive(new Member(O));
    const crowd = Array.from({ length: 400 }, () => arrive());
    await vi.advanceTimersByTimeAsync(3000);
    const before = writes();
    let changes = 0;
    // 60 s of churn, never quiet: every 100 ms one leaves, or one arrives (the count
    // goes 402, 401, 402 …). Before pacing each of the 600 changes went to all 400.
    for (let i = 0; i < 600; i++) {
      if (i % 2 === 0) {
        const gone = crowd.shift()!;
        presence.remove(topic, gone);
        members.splice(members.indexOf(gone), 1);
      } else crowd.push(arrive());
      changes++;
      await vi.advanceTimersByTimeAsync(100);
    }
    // The arrivals' own messages (300) plus at most 2 per change for the broadcasts.
    console.log(`presence pace: ${changes} changes in a crowd of 400 → ${writes() - before} presence messages (one to everybody per change: ~240,000)`);
    expect(writes() - before).toBeLessThanOrEqual(300 + 2 * changes);
    // The count is exact once the churn stops.
    await vi.advanceTimersByTimeAsync(1000);
    expect(members.every((m) => m.shown?.spectators === 402)).toBe(true);
  });
});
