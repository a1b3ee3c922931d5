import { describe, expect, it } from 'vitest';
import { deriveSeed, playAgents } from '../src/ai/index.js';

// Real searches, so this file is the slowest of the suite (~12 s of CPU for 50 games).
describe('connect four: ChampionChimp vs WildcardLemur', () => {
  it('ChampionChimp wins at least 45 of 50 seeded games, alternating who starts', () => {
    let wins = 0;
    let draws = 0;
    let moves = 0;
    for (let g = 0; g < 50; g++) {
      const champFirst = g % 2 === 0;
      const r = champFirst
        ? playAgents('connect4', 'championchimp', 'wildcardlemur', deriveSeed(2026, String(g)))
        : playAgents('connect4', 'wildcardlemur', 'championchimp', deriveSeed(2026, String(g)));
      if (r.winner === (champFirst ? 0 : 1)) wins++;
      else if (r.winner === null) draws++;
      moves += r.moves;
    }
    console.log(`ChampionChimp vs WildcardLemur: ${wins} wins, ${draws} draws, ${50 - wins - draws} losses in 50 games (${(moves / 50).toFixed(1)} plies/game)`);
    expect(wins).toBeGreaterThanOrEqual(45);
    // ~12 s of CPU; the long timeout only covers a heavily shared machine.
  }, 600_000);
});
