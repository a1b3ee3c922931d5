// The troop's chess, one line per monkey, kept with the game (the list in
// games/catalog.ts hands it to the personalities): search budget and the style weights
// (mobility, king safety, sharpness, quietness) in centipawns.
import type { AgentId } from '../../schemas/game-basics.js';
import type { ChessParams } from './ai/index.js';

export { chessAi as ai } from './ai/index.js';

export const params: { readonly [A in AgentId]: ChessParams } = {
  championchimp: { maxDepth: 64, nodeBudget: 300_000, temperature: 0, blunderRate: 0, mobility: 4, kingSafety: 1, sharpness: 0, quietness: 0, reductions: true },
  strategistape: { maxDepth: 64, nodeBudget: 14_000, temperature: 5, blunderRate: 0, mobility: 4, kingSafety: 1, sharpness: 0, quietness: 0 },
  trickstermonkey: { maxDepth: 64, nodeBudget: 6_000, temperature: 10, blunderRate: 0, mobility: 3, kingSafety: 0.8, sharpness: 15, quietness: 0 },
  guardiangorilla: { maxDepth: 64, nodeBudget: 3_000, temperature: 12, blunderRate: 0.01, mobility: 3, kingSafety: 1.5, sharpness: 0, quietness: 10 },
  speedygibbon: { maxDepth: 2, nodeBudget: 600, temperature: 30, blunderRate: 0.05, mobility: 2, kingSafety: 1, sharpness: 0, quietness: 0 },
  wildcardlemur: { maxDepth: 1, nodeBudget: 200, temperature: 120, blunderRate: 0.3, mobility: 0, kingSafety: 0.5, sharpness: 30, quietness: 0 },
  mentororangutan: { maxDepth: 3, nodeBudget: 1_500, temperature: 20, blunderRate: 0.03, mobility: 3, kingSafety: 1.2, sharpness: 0, quietness: 0 },
};

/**
 * Each monkey's rating in this game, as measured by `bench/ai/calibrate.ts` (docs/ai.md,
 * "Measuring strength"): the server seeds an agent's rating here, so what the site shows
 * is what the monkey plays like.
 */
export const ratings: { readonly [A in AgentId]: number } = {
  championchimp: 2130,
  strategistape: 1860,
  trickstermonkey: 1610,
  guardiangorilla: 1450,
  speedygibbon: 840,
  wildcardlemur: 450,
  mentororangutan: 1180,
};
