import { describe, expect, it } from 'vitest';
import { eloFromScore, estimateElo, type EloGame } from '../src/ai/elo.js';

const results = (a: string, b: string, w: number, d: number, l: number): EloGame[] => [
  ...Array.from({ length: w }, () => ({ a, b, score: 1 })),
  ...Array.from({ length: d }, () => ({ a, b, score: 0.5 })),
  ...Array.from({ length: l }, () => ({ a, b, score: 0 })),
];
const byName = (xs: ReturnType<typeof estimateElo>) => Object.fromEntries(xs.map((x) => [x.player, x]));

describe('estimateElo (maximum likelihood, logistic, draws as half points)', () => {
  it('75 % against one anchor is +191 Elo, whatever mix of wins and draws makes it', () => {
    const wins = byName(estimateElo(results('m', 'sf1500', 30, 0, 10), { sf1500: 1500 }));
    const draws = byName(estimateElo(results('m', 'sf1500', 20, 20, 0), { sf1500: 1500 }));
    expect(wins.m!.elo).toBeCloseTo(1500 + 190.85, 1);
    expect(draws.m!.elo).toBeCloseTo(1500 + 190.85, 1);
    expect(eloFromScore(0.75)).toBeCloseTo(190.85, 1);
    // 40 games at 75 %: the standard error is 1 / sqrt(n·K²·p(1−p)) ≈ 63 Elo, so ±1.96·63.
    const se = 1 / Math.sqrt(40 * (Math.LN10 / 400) ** 2 * 0.75 * 0.25);
    expect(wins.m!.hi - wins.m!.elo).toBeCloseTo(1.96 * se, 1);
    expect(wins.m!.elo - wins.m!.lo).toBeCloseTo(1.96 * se, 1);
  });

  it('an even score between two anchors lands halfway, and more games narrow the interval', () => {
    const few = [...results('m', 'a', 5, 0, 5), ...results('m', 'b', 5, 0, 5)];
    const many = [...results('m', 'a', 50, 0, 50), ...results('m', 'b', 50, 0, 50)];
    const f = byName(estimateElo(few, { a: 1400, b: 1600 })).m!;
    const m = byName(estimateElo(many, { a: 1400, b: 1600 })).m!;
    expect(f.elo).toBeCloseTo(1500, 3);
    expect(m.elo).toBeCloseTo(1500, 3);
    expect(m.hi - m.lo).toBeLessThan((f.hi - f.lo) / 3);
  });

  it('places a player that never met the anchor through the players it met', () => {
    // x scores 75 % against the anchor, y scores 25 % against x: y = anchor.
    const games = [...results('x', 'anchor', 30, 0, 10), ...results('y', 'x', 10, 0, 30)];
    const r = byName(estimateElo(games, { anchor: 1000 }));
    expect(r.x!.elo).toBeCloseTo(1190.85, 1);
    expect(r.y!.elo).toBeCloseTo(1000, 1);
    // y's uncertainty includes x's.
    expect(r.y!.hi - r.y!.lo).toBeGreaterThan(r.x!.hi - r.x!.lo);
  });

  it('a clean sweep has no finite maximum: the interval is open above, unless a prior holds it', () => {
    const sweep = results('m', 'a', 20, 0, 0);
    expect(byName(estimateElo(sweep, { a: 1000 })).m!.hi).toBe(Infinity);
    const held = byName(estimateElo(sweep, { a: 1000 }, { virtualDraws: 2 })).m!;
    // 21 of 22 points: +523.
    expect(held.elo).toBeCloseTo(1000 + eloFromScore(21 / 22), 1);
    expect(Number.isFinite(held.hi)).toBe(true);
  });
});
