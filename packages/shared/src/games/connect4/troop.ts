// The troop's connect four, one line per monkey, kept with the game (the list in
// games/catalog.ts hands it to the personalities): alpha-beta depth and node budget, and
// the style weights (attack, defence, trickiness) that make each monkey recognisable.
import type { AgentId } from '../../schemas/game-basics.js';
import type { Connect4Params } from './ai/index.js';

export { connect4Ai as ai } from './ai/index.js';

export const params: { readonly [A in AgentId]: Connect4Params } = {
  championchimp: { maxDepth: 42, nodeBudget: 150_000, temperature: 0, blunderRate: 0, attack: 1, defence: 1, trickiness: 0 },
  strategistape: { maxDepth: 12, nodeBudget: 60_000, temperature: 4, blunderRate: 0, attack: 1, defence: 1, trickiness: 0 },
  trickstermonkey: { maxDepth: 7, nodeBudget: 20_000, temperature: 10, blunderRate: 0.02, attack: 1.4, defence: 0.7, trickiness: 40 },
  guardiangorilla: { maxDepth: 7, nodeBudget: 20_000, temperature: 8, blunderRate: 0.02, attack: 0.6, defence: 1.6, trickiness: 0 },
  speedygibbon: { maxDepth: 3, nodeBudget: 3_000, temperature: 12, blunderRate: 0.05, attack: 1, defence: 1, trickiness: 0 },
  wildcardlemur: { maxDepth: 1, nodeBudget: 500, temperature: 60, blunderRate: 0.3, attack: 1, defence: 1, trickiness: 0 },
  mentororangutan: { maxDepth: 5, nodeBudget: 8_000, temperature: 15, blunderRate: 0.06, attack: 1, defence: 1.1, trickiness: 0 },
};

/**
 * Each monkey's rating in this game, as measured by `bench/ai/calibrate.ts` (docs/ai.md,
 * "Measuring strength"): the server seeds an agent's rating here, so what the site shows
 * is what the monkey plays like.
 */
export const ratings: { readonly [A in AgentId]: number } = {
  championchimp: 1340,
  strategistape: 1290,
  trickstermonkey: 1060,
  guardiangorilla: 1060,
  speedygibbon: 850,
  wildcardlemur: 600,
  mentororangutan: 940,
};
