// The troop's Othello, one line per monkey, kept with the game (the list in
// games/catalog.ts hands it to the personalities). Scores are evaluation
// points: about 10 per legal move of mobility, ~80 per corner; temperature is in the
// same points. What makes each monkey recognisable:
// - ChampionChimp: deepest search, solves the last 12 squares exactly, no randomness;
// - StrategistApe: quiet positional play (frontier) and parity, solves the last 10;
// - TricksterMonkey: lives for mobility: starve the opponent until they must pass;
// - GuardianGorilla: corners and stable, quiet discs above all, few frontier discs;
// - SpeedyGibbon: looks two plies ahead and likes big flips;
// - WildcardLemur: one ply, greedy for discs, and a wild move three times in ten;
// - MentorOrangutan: balanced and gentle: a teacher's shallow search with a little noise.
import type { AgentId } from '../../schemas/game-basics.js';
import type { OthelloParams } from './ai/index.js';
import { CHAMPION_PARAMS } from './ai/champion.js';

export { othelloAi as ai } from './ai/index.js';

export const params: { readonly [A in AgentId]: OthelloParams } = {
  championchimp: CHAMPION_PARAMS,
  strategistape: { maxDepth: 64, nodeBudget: 16_000, temperature: 5, blunderRate: 0, mobility: 9, corners: 80, frontier: 8, discs: 0, parity: 8, exactEmpties: 10 },
  trickstermonkey: { maxDepth: 64, nodeBudget: 12_000, temperature: 6, blunderRate: 0.01, mobility: 15, corners: 80, frontier: 3, discs: 0, parity: 0, exactEmpties: 10 },
  guardiangorilla: { maxDepth: 64, nodeBudget: 5_000, temperature: 10, blunderRate: 0.02, mobility: 5, corners: 110, frontier: 12, discs: 0, parity: 4, exactEmpties: 8 },
  speedygibbon: { maxDepth: 2, nodeBudget: 1_500, temperature: 15, blunderRate: 0.06, mobility: 4, corners: 50, frontier: 0, discs: 4, parity: 0, exactEmpties: 6 },
  wildcardlemur: { maxDepth: 1, nodeBudget: 300, temperature: 40, blunderRate: 0.3, mobility: 0, corners: 30, frontier: 0, discs: 3, parity: 0, exactEmpties: 0 },
  mentororangutan: { maxDepth: 3, nodeBudget: 3_000, temperature: 8, blunderRate: 0.03, mobility: 8, corners: 70, frontier: 4, discs: 0, parity: 2, exactEmpties: 8 },
};

// The explanation codes Othello's reasons add to the troop's common ones (ai/explanation.ts).
declare module '../../ai/explanation.js' {
  interface ExplanationCodes {
    pass: true;
    squeeze: true;
    flip: true;
    quiet: true;
  }
}

/**
 * Each monkey's rating in this game, as measured by `bench/ai/calibrate.ts` (docs/ai.md,
 * "Measuring strength"): the server seeds an agent's rating here, so what the site shows
 * is what the monkey plays like.
 */
export const ratings: { readonly [A in AgentId]: number } = {
  championchimp: 1250,
  strategistape: 1130,
  trickstermonkey: 1070,
  guardiangorilla: 1010,
  speedygibbon: 690,
  wildcardlemur: 510,
  mentororangutan: 950,
};
