import { z } from 'zod';
import { Id, PlayerName, Timestamp } from './common.js';
import { AgentId, GameSummary, GameType } from './games.js';

export const Rating = z.object({
  type: GameType,
  rating: z.number(),
  deviation: z.number(),
  /** Deviation still high (few games): shown as "1520?", kept off the leaderboard. */
  provisional: z.boolean(),
  games: z.number().int(),
  wins: z.number().int(),
  losses: z.number().int(),
  draws: z.number().int(),
});
export type Rating = z.infer<typeof Rating>;

export const Player = z.object({
  id: Id,
  name: z.string(),
  kind: z.enum(['human', 'agent']),
  agentId: AgentId.optional(),
  createdAt: Timestamp,
});
export type Player = z.infer<typeof Player>;

export const CreatePlayerBody = z.strictObject({ name: PlayerName });
export type CreatePlayerBody = z.infer<typeof CreatePlayerBody>;

export const CreatePlayerResponse = z.object({ player: Player, token: z.string() });
export type CreatePlayerResponse = z.infer<typeof CreatePlayerResponse>;

/** PATCH /api/players/me: a new display name (same rules as choosing one). */
export const RenameBody = z.strictObject({ name: PlayerName });
export type RenameBody = z.infer<typeof RenameBody>;

export const PlayerResponse = z.object({ player: Player });
export type PlayerResponse = z.infer<typeof PlayerResponse>;

/** POST /api/players/me/sign-out: every token of the player is revoked. */
export const SignOutResponse = z.object({ signedOut: z.literal(true) });
export type SignOutResponse = z.infer<typeof SignOutResponse>;

export const PlayerProfile = z.object({
  player: Player,
  ratings: z.array(Rating),
  recentGames: z.array(GameSummary),
});
export type PlayerProfile = z.infer<typeof PlayerProfile>;

export const PlayerIdParams = z.strictObject({ id: Id });

export const Agent = z.object({
  id: AgentId,
  /** The agent's player id (agents play as players, with ratings). */
  playerId: Id,
  name: z.string(),
  emoji: z.string(),
  style: z.string(),
  description: z.string(),
  /** 1 (gentle) .. 10 (strongest). */
  strength: z.number().int().min(1).max(10),
  ratings: z.array(Rating),
  games: z.number().int(),
});
export type Agent = z.infer<typeof Agent>;

export const AgentsResponse = z.object({ agents: z.array(Agent) });
export type AgentsResponse = z.infer<typeof AgentsResponse>;

export const LeaderboardQuery = z.strictObject({
  type: GameType.default('tictactoe'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type LeaderboardQuery = z.infer<typeof LeaderboardQuery>;

export const LeaderboardEntry = z.object({
  rank: z.number().int(),
  player: Player,
  emoji: z.string().optional(),
  rating: Rating,
});
export const LeaderboardResponse = z.object({ type: GameType, entries: z.array(LeaderboardEntry) });
export type LeaderboardResponse = z.infer<typeof LeaderboardResponse>;
