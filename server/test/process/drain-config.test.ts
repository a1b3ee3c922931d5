// DRAIN_SECONDS parsing and the spreading of closes over a window (server/src/process/drain.ts).
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/index.js';
import { closeSpread, drainMsFromEnv } from '../../src/process/drain.js';

describe('DRAIN_SECONDS', () => {
  it('defaults to no drain and reads seconds, fractions included', () => {
    expect(drainMsFromEnv({})).toBe(0);
    expect(drainMsFromEnv({ DRAIN_SECONDS: '' })).toBe(0);
    expect(drainMsFromEnv({ DRAIN_SECONDS: '50' })).toBe(50_000);
    expect(drainMsFromEnv({ DRAIN_SECONDS: '0.5' })).toBe(500);
  });

  it.each(['-1', 'soon', '121'])('refuses %s with a ConfigError naming the variable', (v) => {
    expect(() => drainMsFromEnv({ DRAIN_SECONDS: v })).toThrow(ConfigError);
    expect(() => drainMsFromEnv({ DRAIN_SECONDS: v })).toThrow(/DRAIN_SECONDS/);
  });
});

describe('closeSpread', () => {
  it('closes everything by the end of the window, spread over it, late arrivals included', async () => {
    const open = new Set(Array.from({ length: 40 }, (_, i) => i));
    const closedAt: number[] = [];
    const t0 = Date.now();
    setTimeout(() => open.add(100), 200); // arrives during the window
    await closeSpread({
      ms: 800,
      open: () => [...open],
      close: (i) => {
        open.delete(i);
        closedAt.push(Date.now() - t0);
      },
    });
    expect(open.size).toBe(0);
    expect(closedAt).toHaveLength(41);
    const firstHalf = closedAt.filter((t) => t < 400).length;
    // Not all at once: both halves of the window close a fair share.
    expect(firstHalf).toBeGreaterThan(8);
    expect(firstHalf).toBeLessThan(33);
    expect(Math.max(...closedAt)).toBeLessThan(1000);
  });
});
