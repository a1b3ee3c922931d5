import { describe, expect, it } from 'vitest';
import { formatLadder, ladder } from '../src/ai/index.js';

// A small round robin; the full seven-agent ladder is bench/ai/ladder.ts.
describe('connect four ladder', () => {
  it('personalities are measurably different: ChampionChimp > SpeedyGibbon > WildcardLemur', () => {
    const rows = ladder('connect4', ['championchimp', 'speedygibbon', 'wildcardlemur'], 6, 99);
    console.log(`connect-four ladder (6 games per pair, alternating first move)\n${formatLadder(rows)}`);
    expect(rows.map((r) => r.agentId)).toEqual(['championchimp', 'speedygibbon', 'wildcardlemur']);
    const [champ, speedy, lemur] = rows;
    expect(champ!.score).toBeGreaterThan(speedy!.score);
    expect(speedy!.score).toBeGreaterThan(lemur!.score);
  }, 300_000);
});
