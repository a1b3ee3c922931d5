import { z } from 'zod';

/**
 * One Othello move: a square in the game's own notation ("d3": file a–h left to right,
 * row 1–8 top to bottom, as Othello boards are printed), or "pass" when the side to move
 * has no square that flips anything. The pass is an explicit move (see engine.ts for why).
 * zod only, so the API's move union can include it without loading the rules.
 */
export const OthelloMove = z.strictObject({
  square: z.string().regex(/^([a-h][1-8]|pass)$/, 'move must be a square like "d3", or "pass"'),
});
export type OthelloMove = z.infer<typeof OthelloMove>;
