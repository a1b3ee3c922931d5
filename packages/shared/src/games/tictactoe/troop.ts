// The troop's tic-tac-toe, one line per monkey, kept with the game (the list in
// games/catalog.ts hands it to the personalities). maxDepth 9 is perfect play; temperature
// is in "tempo" units (win = 10 - plies).
import type { AgentId } from '../../schemas/game-basics.js';
import type { SearchParams } from '../../ai/types.js';

export { tictactoeAi as ai } from './ai.js';

export const params: { readonly [A in AgentId]: SearchParams } = {
  championchimp: { maxDepth: 9, nodeBudget: Infinity, temperature: 0, blunderRate: 0 },
  strategistape: { maxDepth: 9, nodeBudget: Infinity, temperature: 0.3, blunderRate: 0.02 },
  trickstermonkey: { maxDepth: 4, nodeBudget: Infinity, temperature: 0.8, blunderRate: 0.05 },
  guardiangorilla: { maxDepth: 4, nodeBudget: Infinity, temperature: 0.5, blunderRate: 0.04 },
  speedygibbon: { maxDepth: 2, nodeBudget: Infinity, temperature: 0.6, blunderRate: 0.08 },
  wildcardlemur: { maxDepth: 1, nodeBudget: Infinity, temperature: 3, blunderRate: 0.3 },
  mentororangutan: { maxDepth: 3, nodeBudget: Infinity, temperature: 0.8, blunderRate: 0.1 },
};

/**
 * Each monkey's rating in this game, as measured by `bench/ai/calibrate.ts` (docs/ai.md,
 * "Measuring strength"): the server seeds an agent's rating here, so what the site shows
 * is what the monkey plays like.
 */
export const ratings: { readonly [A in AgentId]: number } = {
  championchimp: 970,
  strategistape: 920,
  trickstermonkey: 760,
  guardiangorilla: 760,
  speedygibbon: 690,
  wildcardlemur: 420,
  mentororangutan: 660,
};
