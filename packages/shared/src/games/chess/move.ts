import { z } from 'zod';

/** One chess move in UCI (long algebraic) notation: "e2e4", "e7e8q" for a promotion (BRIEF §5). */
export const ChessMove = z.strictObject({
  uci: z.string().regex(/^[a-h][1-8][a-h][1-8][qrbn]?$/, 'move must be UCI like "e2e4" or "e7e8q"'),
});
export type ChessMove = z.infer<typeof ChessMove>;
