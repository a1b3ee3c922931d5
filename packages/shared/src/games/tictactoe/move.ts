import { z } from 'zod';

/** One tic-tac-toe move: the cell, 0–8 row by row from the top left (BRIEF §5). */
export const TicTacToeMove = z.strictObject({ cell: z.number().int().min(0).max(8) });
export type TicTacToeMove = z.infer<typeof TicTacToeMove>;
