import { describe, expect, it } from 'vitest';
import { ServerMessage } from '@monkeytown/shared';
import { helloFrame, subscribedFrame, unsubscribedFrame } from '../../src/event-stream/frames.js';
import { paidUntil } from '../../src/event-stream/rate-limit.js';

// The greeting, `subscribed` and `unsubscribed` are written out by hand (every arriving
// socket gets the first two, issue 28; every game a player leaves the third): they must
// be exactly what checking and serialising them gave.
describe('hand-written frames', () => {
  it('hello, subscribed and unsubscribed parse as the contract says and serialise the same', () => {
    const cases = [
      helloFrame('0b6d4b5e-2c1a-4b8e-9d3f-6f0e1a2b3c4d', 20_000, null),
      helloFrame('id-1', 500, 'c9b1a7de-93a1-4c1e-8d4b-1f2e3d4c5b6a'),
      helloFrame('id-2', 20_000, 'a "quoted" \\ player\n'),
      subscribedFrame('lobby'),
      subscribedFrame('game:0b6d4b5e-2c1a-4b8e-9d3f-6f0e1a2b3c4d'),
      unsubscribedFrame('lobby'),
      unsubscribedFrame('game:0b6d4b5e-2c1a-4b8e-9d3f-6f0e1a2b3c4d'),
    ];
    for (const text of cases) {
      const parsed = ServerMessage.parse(JSON.parse(text));
      expect(JSON.stringify(parsed)).toBe(text);
    }
  });
});

// The message rate limit kept as one number per socket: a bucket of 2 × the rate,
// refilled at the rate.
describe('rate limit', () => {
  it('lets a full burst of twice the rate through, then one per interval', () => {
    let paid = 0;
    const at = (now: number) => {
      const next = paidUntil(paid, now, 20);
      if (next !== null) paid = next;
      return next !== null;
    };
    expect(Array.from({ length: 40 }, () => at(1000)).every(Boolean)).toBe(true);
    expect(at(1000)).toBe(false);
    expect(at(1049)).toBe(false);
    expect(at(1050)).toBe(true);
    expect(at(1050)).toBe(false);
    // Idle for a while: the bucket is full again, not fuller.
    expect(Array.from({ length: 40 }, () => at(100_000)).every(Boolean)).toBe(true);
    expect(at(100_000)).toBe(false);
  });
});
