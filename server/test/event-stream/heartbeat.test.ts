import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Heartbeat } from '../../src/event-stream/heartbeat.js';

// Protocol pings spread over the interval (issue 28): a round that pinged all 19,500
// sockets at once stalled the fan-out of an event that fell inside it. The end-to-end
// behaviour (a dead peer terminated, a live one kept) is in abuse.test.ts.

type Sock = { alive: boolean; pings: number[]; dead: boolean };

describe('heartbeat', () => {
  let pinged: number[];
  let beat: Heartbeat<Sock>;
  const socks: Sock[] = [];
  let t = 0;

  beforeEach(() => {
    vi.useFakeTimers();
    t = 0;
    pinged = [];
    beat = new Heartbeat<Sock>(20_000, {
      ping: (s) => {
        s.pings.push(t);
        pinged[t] = (pinged[t] ?? 0) + 1;
      },
      dead: (s) => {
        s.dead = true;
      },
    });
    socks.length = 0;
    for (let i = 0; i < 19_500; i++) {
      const s = { alive: true, pings: [], dead: false };
      socks.push(s);
      beat.add(s);
    }
  });
  afterEach(() => {
    beat.stop();
    vi.useRealTimers();
  });

  const advance = (ms: number) => {
    for (let i = 0; i < ms / 250; i++) {
      t += 250;
      vi.advanceTimersByTime(250);
    }
  };

  it('pings every socket once per interval, a slice at a time, never all at once', () => {
    advance(20_000);
    expect(socks.every((s) => s.pings.length === 1)).toBe(true);
    // 80 ticks of 250 ms, each pinging at most 1/80 of the sockets (+1).
    const ticks = pinged.filter((n) => n !== undefined);
    expect(ticks).toHaveLength(80);
    expect(Math.max(...ticks)).toBeLessThanOrEqual(Math.ceil(19_500 / 80));
    expect(beat.widest).toBeLessThanOrEqual(Math.ceil(19_500 / 80));
  });

  it('terminates a socket that missed its previous ping, one interval later, and keeps those that answer', () => {
    const silent = socks[7]!;
    advance(20_000);
    for (const s of socks) if (s !== silent) s.alive = true; // their pongs
    advance(20_000);
    expect(silent.dead).toBe(true);
    expect(silent.pings).toHaveLength(1);
    expect(socks.filter((s) => s.dead)).toEqual([silent]);
    expect(socks.filter((s) => s !== silent).every((s) => s.pings.length === 2 && s.pings[1]! - s.pings[0]! === 20_000)).toBe(true);
  });

  it('a socket that left is not pinged', () => {
    const gone = socks[3]!;
    beat.remove(gone);
    advance(20_000);
    expect(gone.pings).toHaveLength(0);
  });
});
