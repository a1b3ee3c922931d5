import { z } from 'zod';

/**
 * The parts of a game's record that do not depend on which games exist: seats, results,
 * clocks, the troop's names. Game modules (games/<type>/) import these; the schemas that
 * name the games (GameType, Move, snapshots: games.ts) are derived from the game list,
 * which imports the game modules. Keeping these below the list is what keeps
 * packages/shared free of import circles.
 */

export const AgentId = z.enum([
  'championchimp',
  'strategistape',
  'trickstermonkey',
  'guardiangorilla',
  'speedygibbon',
  'wildcardlemur',
  'mentororangutan',
]);
export type AgentId = z.infer<typeof AgentId>;

export const Seat = z.union([z.literal(0), z.literal(1)]);
export type Seat = z.infer<typeof Seat>;

/**
 * How a game ended. `win`/`draw`: by the rules on the board; `resign`; `timeout`: a flag
 * fell (a draw when the other side cannot mate); `agreement`: a draw offer accepted;
 * `aborted`: ended before both sides moved (never rated); `left`: the opponent was gone
 * long enough and the other player claimed the win or a draw; `abandoned`: an open seat
 * nobody took, or an untimed game idle past its expiry.
 */
export const ResultReason = z.enum(['win', 'draw', 'resign', 'timeout', 'abandoned', 'agreement', 'aborted', 'left']);
export type ResultReason = z.infer<typeof ResultReason>;
export const GameResult = z.object({
  /** Winning seat, or null for a draw. */
  winner: Seat.nullable(),
  reason: ResultReason,
  /**
   * The rule that decided it, in words a player reads after "by": "checkmate",
   * "three in a row", "four in a row", "a full board", "stalemate", "threefold
   * repetition", "the fifty-move rule", "insufficient material".
   */
  detail: z.string().max(100).optional(),
  /** Cells/squares that made the win, for highlighting (engine-specific indices). */
  line: z.array(z.number().int()).optional(),
});
export type GameResult = z.infer<typeof GameResult>;

export const ClockSettings = z.strictObject({
  /** Initial time per side in seconds (5 s at least: short enough for tests of a flag). */
  initialSeconds: z.number().int().min(5).max(7200),
  /** Increment per move in seconds. */
  incrementSeconds: z.number().int().min(0).max(180).default(0),
});
export type ClockSettings = z.infer<typeof ClockSettings>;
