import { z } from 'zod';

/** One connect-four move: the column the disc drops into, 0–6 from the left (BRIEF §5). */
export const Connect4Move = z.strictObject({ column: z.number().int().min(0).max(6) });
export type Connect4Move = z.infer<typeof Connect4Move>;
