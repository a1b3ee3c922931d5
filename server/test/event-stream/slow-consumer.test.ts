import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBus, type Bus } from '../../src/bus/index.js';
import { ev, gameTopicOf } from '../bus/contract.js';
import { testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import { imageNodeOptions, Service } from './processes.js';

const redisUrl = testRedisUrl();

// Acceptance 5: a consumer that reads nothing is cut off (4008) and the event-stream
// process's memory stays bounded during a flood many times the bound. Measured on a
// separate process (its own RSS via /metrics), not on the test runner.
describe.skipIf(!redisUrl)('slow consumer against an event-stream process', () => {
  const prefix = uniquePrefix('slow');
  let es: Service;
  let bus: Bus;
  beforeAll(async () => {
    es = await Service.start('event-stream', {
      REDIS_URL: redisUrl!,
      REDIS_KEY_PREFIX: prefix,
      WS_MAX_BUFFERED_BYTES: String(1024 * 1024),
    });
    bus = createRedisBus({ url: redisUrl!, keyPrefix: prefix, ttlSeconds: 300 });
  }, 40_000);
  afterAll(async () => {
    await es?.stop();
    await bus?.close();
  });

  const open = async (topic: string) => {
    const ws = new WebSocket(es.ws);
    const seqs: number[] = [];
    let subscribed = false;
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { type: string; seq?: number };
      if (m.type === 'event') seqs.push(m.seq!);
      if (m.type === 'subscribed') subscribed = true;
    });
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'subscribe', topic }));
    while (!subscribed) await new Promise((r) => setTimeout(r, 10));
    return { ws, seqs, closed };
  };

  it('closes it with 4008 while RSS stays far below the flood size', async () => {
    const topic = gameTopicOf();
    await bus.publish([ev(topic, 1)]);
    const fast = await open(topic);
    const slow = await open(topic);
    (slow.ws as unknown as { _socket: Socket })._socket.pause();

    const rssBefore = await es.metric('mt_es_process_resident_memory_bytes');
    let rssPeak = rssBefore;
    let sampling = true;
    let cutAt = -1;
    const sampler = (async () => {
      while (sampling) {
        rssPeak = Math.max(rssPeak, await es.metric('mt_es_process_resident_memory_bytes'));
        if (cutAt < 0 && (await es.metric('mt_es_dropped_slow_consumers_total')) === 1) {
          // Cut off: read again now, in time to see the close frame behind the backlog.
          cutAt = fast.seqs.length;
          (slow.ws as unknown as { _socket: Socket })._socket.resume();
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const blob = 'x'.repeat(8 * 1024);
    const n = 16_000; // 128 MiB through the process, 1 MiB allowed per socket
    for (let i = 2; i <= n + 1; i += 25) {
      // Flow control for the reading client only (it shares a busy machine): it stays
      // well inside the bound, the non-reading one falls behind without limit.
      while (i - 2 - fast.seqs.length > 50) await new Promise((r) => setTimeout(r, 2));
      await bus.publish(Array.from({ length: Math.min(25, n + 2 - i) }, (_, k) => ({ ...ev(topic, i + k), data: { blob } })));
    }
    const deadline = Date.now() + 60_000;
    while (fast.seqs.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    sampling = false;
    await sampler;
    const growthMiB = (rssPeak - rssBefore) / 2 ** 20;
    console.log(`slow consumer (node ${process.version}, NODE_OPTIONS=${imageNodeOptions() || '(none)'}): event-stream RSS ${(rssBefore / 2 ** 20).toFixed(1)} MiB → peak ${(rssPeak / 2 ** 20).toFixed(1)} MiB (+${growthMiB.toFixed(1)}) during a 128 MiB flood`);

    expect(fast.seqs.length).toBe(n);
    expect(fast.seqs).toEqual(Array.from({ length: n }, (_, i) => i + 2));
    expect(await es.metric('mt_es_dropped_slow_consumers_total')).toBe(1);
    // Unbounded, the same flood grows RSS by more than the flood (measured: +77 MiB for 64 MiB).
    expect(growthMiB).toBeLessThan(48);
    expect(cutAt).toBeLessThan(n / 2); // cut early in the flood, not at its end
    expect(await slow.closed).toBe(4008);
    expect(slow.seqs.length).toBeLessThan(n / 2);
    expect((await fetch(`${es.http}/health/ready`)).status).toBe(200);
    fast.ws.close();
  }, 90_000);
});
