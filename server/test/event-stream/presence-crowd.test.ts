import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Topic } from '@monkeytown/shared';
import { TokenService } from '../../src/auth/tokens.js';
import { DEFAULT_SESSION_SECRET } from '../../src/config/index.js';
import { createRedisBus, type Bus } from '../../src/bus/index.js';
import type { EventStream } from '../../src/event-stream/index.js';
import { testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import { ev, gameTopicOf } from '../bus/contract.js';
import { TestClient, range, sleep, startTestStream } from './harness.js';

// A crowd arriving at one game over Redis, real sockets (issue 28): every arrival used to
// make the event-stream send a presence message to everyone already there. The same
// with exact timing (fake timers): presence-pace.test.ts.

const url = testRedisUrl();
type P = { playerId: string; online: boolean };

describe.skipIf(!url)('a crowd arriving at one game (redis)', () => {
  let bus: Bus;
  let es: EventStream;
  let wsUrl: string;
  const clients: TestClient[] = [];
  const connect = async (token?: string) => {
    const c = await TestClient.connect(wsUrl, token);
    clients.push(c);
    return c;
  };
  const subscribe = (c: TestClient, topic: Topic) => {
    c.send({ type: 'subscribe', topic, sinceSeq: 1 });
    return c.next((m) => m.type === 'subscribed');
  };

  beforeEach(async () => {
    bus = createRedisBus({ url: url!, keyPrefix: uniquePrefix('crowd'), ttlSeconds: 300 });
    ({ es, url: wsUrl } = await startTestStream(bus));
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await es.close();
    await bus.close();
  });

  it('200 spectators arriving over ~2 s cost O(N) presence messages, and every subscriber ends up seeing the exact state', async () => {
    const topic = gameTopicOf();
    await bus.publish([ev(topic, 1)]);
    const tokens = new TokenService(DEFAULT_SESSION_SECRET);
    const [X, O] = ['5b7c2a55-0000-4000-8000-0000000000e1', '5b7c2a55-0000-4000-8000-0000000000e2'];
    await bus.setSeats(topic, [X, O]);
    const x = await connect(await tokens.sign(X));
    const o = await connect(await tokens.sign(O));
    for (const c of [x, o]) await subscribe(c, topic);
    const players = (c: TestClient) => (c.of('presence').at(-1)?.players ?? []) as P[];
    await x.waitFor(() => players(x).filter((p) => p.online).length === 2, 3000, 'both players online');
    // The crowd: 200 anonymous and 10 signed-in watchers, 10 arriving every 100 ms.
    const N = 210;
    const watchers = range(1, 10).map((i) => `5b7c2a55-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`);
    const crowd = await Promise.all(range(1, N).map(async (i) => connect(i <= 10 ? await tokens.sign(watchers[i - 1]!) : undefined)));
    const before = clients.reduce((n, c) => n + c.of('presence').length, 0);
    const t0 = Date.now();
    for (let i = 0; i < N; i += 10) {
      await Promise.all(crowd.slice(i, i + 10).map((c) => subscribe(c, topic)));
      await sleep(100);
    }
    const arrivalMs = Date.now() - t0;
    const everyone = [x, o, ...crowd];
    const exact = (c: TestClient) => {
      const last = c.of('presence').at(-1);
      const on = new Set(((last?.players ?? []) as P[]).filter((p) => p.online).map((p) => p.playerId));
      return last?.spectators === N + 2 && [X, O, ...watchers].every((id) => on.has(id));
    };
    for (const c of everyone) await c.waitFor(() => exact(c), 5000, 'the exact presence');
    await sleep(500); // nothing more is coming for a settled crowd
    const cost = clients.reduce((n, c) => n + c.of('presence').length, 0) - before;
    console.log(`presence crowd: ${N} arrivals over ${arrivalMs} ms → ${cost} presence messages (${(cost / N).toFixed(1)} per arrival)`);
    // Each arrival's own state (N), the paid broadcasts (≤ 2 per change) and the settled
    // one (N); one more settled broadcast for a pause longer than 250 ms in the arrivals.
    expect(cost).toBeLessThanOrEqual(5 * N);
    expect(everyone.every(exact)).toBe(true);
  });
});
