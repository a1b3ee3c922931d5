import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBus, type Bus } from '../../src/bus/index.js';
import type { EventStream } from '../../src/event-stream/index.js';
import { Hub } from '../../src/event-stream/hub.js';
import { createMetrics } from '../../src/event-stream/metrics.js';
import { ev, gameTopicOf } from '../bus/contract.js';
import { TestClient, range, startTestStream } from './harness.js';

/**
 * A bus whose subscription can "lose" deliveries and announce a resubscribe, as the
 * Redis bus does around an outage, to drive the hub's catch-up deterministically.
 */
function lossyBus(): { bus: Bus; drop(on: boolean): void; resubscribed(): void } {
  const inner = createMemoryBus({ replayMaxLen: 20 });
  let dropping = false;
  const listeners = new Set<() => void>();
  const bus: Bus = {
    ...inner,
    subscribe: (topic, onEvent) => inner.subscribe(topic, (e) => (dropping ? undefined : onEvent(e))),
    onResubscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { bus, drop: (on) => (dropping = on), resubscribed: () => listeners.forEach((l) => l()) };
}

describe('hub catch-up after the bus lost deliveries', () => {
  let es: EventStream;
  let bus: Bus;
  afterEach(async () => {
    await es.close();
    await bus.close();
  });

  it('replays what was missed to every subscriber once the bus is back, then resyncs if it is gone', async () => {
    const lossy = lossyBus();
    bus = lossy.bus;
    let url: string;
    ({ es, url } = await startTestStream(bus));
    const topic = gameTopicOf();
    await bus.publish([ev(topic, 1)]);
    const clients = await Promise.all([TestClient.connect(url), TestClient.connect(url)]);
    for (const c of clients) c.send({ type: 'subscribe', topic });
    await Promise.all(clients.map((c) => c.next((m) => m.type === 'subscribed')));

    lossy.drop(true);
    await bus.publish(range(2, 5).map((s) => ev(topic, s)));
    lossy.drop(false);
    lossy.resubscribed();
    for (const c of clients) {
      await c.waitFor(() => c.seqs(topic).length === 4, 3000, 'caught up');
      expect(c.seqs(topic)).toEqual([2, 3, 4, 5]);
    }

    // Lost for longer than the buffer holds: the catch-up cannot be complete → resync.
    lossy.drop(true);
    await bus.publish(range(6, 60).map((s) => ev(topic, s)));
    lossy.drop(false);
    lossy.resubscribed();
    for (const c of clients) {
      await c.next((m) => m.type === 'resync');
      await c.waitFor(() => c.seqs(topic).at(-1) === 60, 3000, 'newest events');
      expect(c.seqs(topic).slice(4)).toEqual(range(41, 60)); // the buffer's 20, after the resync
    }
    await bus.publish([ev(topic, 61)]);
    for (const c of clients) await c.waitFor(() => c.seqs(topic).at(-1) === 61);
    for (const c of clients) c.close();
  });
});

describe('hub frames', () => {
  const quiet = { warn: () => {} };

  it('builds one frame per event and hands the same bytes to every member', async () => {
    const bus = createMemoryBus();
    const metrics = createMetrics();
    const hub = new Hub(bus, metrics, quiet);
    const topic = gameTopicOf();
    const got: Buffer[][] = range(1, 5).map(() => []);
    await Promise.all(got.map((frames) => hub.join(topic, { deliver: (_e, f) => frames.push(f), resync: () => {} })));
    await bus.publish([ev(topic, 1), ev(topic, 2)]);
    for (const frames of got) expect(frames.map((f) => JSON.parse(f.toString()))).toEqual([1, 2].map((s) => ({ type: 'event', ...ev(topic, s) })));
    for (const frames of got) for (const i of [0, 1]) expect(frames[i]).toBe(got[0]![i]); // the same Buffer, not a copy
    expect(hub.frame(ev(topic, 3))).not.toBe(hub.frame(ev(topic, 3))); // one per event object, built once
    await hub.close();
    await bus.close();
  });

  it('drops and counts an event the in-process bus carried that breaks the contract; the next valid one goes through', async () => {
    const bus = createMemoryBus();
    const metrics = createMetrics();
    const hub = new Hub(bus, metrics, quiet);
    const topic = gameTopicOf();
    const seqs: number[] = [];
    await hub.join(topic, { deliver: (e) => seqs.push(e.seq), resync: () => {} });
    await bus.publish([{ ...ev(topic, 1), kind: 42 as unknown as string }, ev(topic, 2)]);
    expect(seqs).toEqual([2]);
    expect((await metrics.invalidEvents.get()).values[0]!.value).toBe(1);
    await hub.close();
    await bus.close();
  });
});
