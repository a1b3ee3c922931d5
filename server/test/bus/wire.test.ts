import { describe, expect, it } from 'vitest';
import { busEventText, decodeBusEvent } from '../../src/bus/wire.js';
import { perTick } from '../../src/bus/per-tick.js';
import { ev, gameTopicOf } from './contract.js';

describe('decoding a bus message (validated once, its text kept for the frames)', () => {
  const topic = gameTopicOf();

  it('keeps the payload itself as the text of an event that has exactly the contract fields', () => {
    const payload = JSON.stringify(ev(topic, 3));
    const event = decodeBusEvent(payload)!;
    expect(event).toEqual(ev(topic, 3));
    expect(busEventText(event)).toBe(payload);
  });

  it('re-serialises the validated event when the payload says more than the contract (unknown fields never reach a socket)', () => {
    const payload = JSON.stringify({ ...ev(topic, 4), secret: 'x' });
    const event = decodeBusEvent(payload)!;
    expect(event).toEqual(ev(topic, 4));
    expect(JSON.parse(busEventText(event)!)).toEqual(ev(topic, 4));
    expect(busEventText(event)).not.toContain('secret');
    // A "__proto__" key is an own field after JSON.parse: not a contract field either.
    const proto = decodeBusEvent(`{"__proto__":{"x":1},${payload.slice(1)}`)!;
    expect(busEventText(proto)).not.toContain('__proto__');
  });

  it('refuses what is not JSON or not an event', () => {
    for (const bad of ['', 'not json', '[]', 'null', '{"topic":"lobby"}', JSON.stringify({ ...ev(topic, 1), seq: -1 }), JSON.stringify({ ...ev(topic, 1), topic: 'game:nope' }), JSON.stringify({ ...ev(topic, 1), kind: 5 }), JSON.stringify({ ...ev(topic, 1), seq: 1.5 })]) {
      expect(decodeBusEvent(bad), bad).toBeNull();
    }
  });

  it('has no text for an event it did not decode', () => {
    expect(busEventText(ev(topic, 1))).toBeUndefined();
  });
});

describe('perTick', () => {
  it('runs the calls of one tick as one batch, each caller getting its own result', async () => {
    const batches: number[][] = [];
    const double = perTick(async (xs: number[]) => {
      batches.push(xs);
      return xs.map((x) => x * 2);
    });
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(await double(4)).toBe(8);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('rejects every caller of a failed batch, and the next batch runs afresh', async () => {
    let fail = true;
    const f = perTick(async (xs: number[]) => {
      if (fail) throw new Error('down');
      return xs;
    });
    const results = await Promise.allSettled([f(1), f(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await f(5)).toBe(5);
  });
});
