import { z } from 'zod';
import { GAME_TYPES } from '../games/catalog.js';
import { ChatText, Id, Timestamp } from './common.js';

/** Derived from the one list of games: every type the API accepts has an engine, an AI and a board. */
export const GameType = z.enum(GAME_TYPES);
export type GameType = z.infer<typeof GameType>;

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

/** Moves, one schema per game type (BRIEF §5). */
export const TicTacToeMove = z.strictObject({ cell: z.number().int().min(0).max(8) });
export const Connect4Move = z.strictObject({ column: z.number().int().min(0).max(6) });
export const ChessMove = z.strictObject({
  uci: z.string().regex(/^[a-h][1-8][a-h][1-8][qrbn]?$/, 'move must be UCI like "e2e4" or "e7e8q"'),
});
export const Move = z.union([TicTacToeMove, Connect4Move, ChessMove]);
export type TicTacToeMove = z.infer<typeof TicTacToeMove>;
export type Connect4Move = z.infer<typeof Connect4Move>;
export type ChessMove = z.infer<typeof ChessMove>;
export type Move = z.infer<typeof Move>;

export const Seat = z.union([z.literal(0), z.literal(1)]);
export type Seat = z.infer<typeof Seat>;

export const GameStatus = z.enum(['open', 'active', 'finished']);
export type GameStatus = z.infer<typeof GameStatus>;

export const ResultReason = z.enum(['win', 'draw', 'resign', 'timeout', 'abandoned']);
export const GameResult = z.object({
  /** Winning seat, or null for a draw. */
  winner: Seat.nullable(),
  reason: ResultReason,
  /** Cells/squares that made the win, for highlighting (engine-specific indices). */
  line: z.array(z.number().int()).optional(),
});
export type GameResult = z.infer<typeof GameResult>;

export const SeatInfo = z.object({
  seat: Seat,
  playerId: Id,
  name: z.string(),
  kind: z.enum(['human', 'agent']),
  agentId: AgentId.optional(),
  emoji: z.string().optional(),
  rating: z.number(),
});
export type SeatInfo = z.infer<typeof SeatInfo>;

export const ClockSettings = z.strictObject({
  /** Initial time per side in seconds. */
  initialSeconds: z.number().int().min(10).max(7200),
  /** Increment per move in seconds. */
  incrementSeconds: z.number().int().min(0).max(180).default(0),
});
export type ClockSettings = z.infer<typeof ClockSettings>;

/** A game as everyone sees it: GET /api/games/:id → {game}. */
export const GameSnapshot = z.object({
  id: Id,
  type: GameType,
  status: GameStatus,
  rated: z.boolean(),
  /** Sequence number of the last event of this game; the next move must name it as expectedSeq. */
  seq: z.number().int().min(0),
  players: z.array(SeatInfo),
  /** Seat to move, null when the game is not active. */
  turn: Seat.nullable(),
  /** The engine's public state (board etc.). */
  state: z.unknown(),
  legalMoves: z.array(Move),
  moveCount: z.number().int().min(0),
  result: GameResult.nullable(),
  spectators: z.number().int().min(0),
  /** True while an agent owes a move. */
  agentThinking: z.boolean(),
  clock: ClockSettings.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type GameSnapshot = z.infer<typeof GameSnapshot>;

/** A lobby row: GET /api/games. */
export const GameSummary = GameSnapshot.pick({
  id: true,
  type: true,
  status: true,
  rated: true,
  seq: true,
  players: true,
  turn: true,
  moveCount: true,
  result: true,
  spectators: true,
  createdAt: true,
  updatedAt: true,
});
export type GameSummary = z.infer<typeof GameSummary>;

export const Opponent = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('agent'), agentId: AgentId }),
  z.strictObject({ kind: z.literal('open') }),
]);
export type Opponent = z.infer<typeof Opponent>;

export const CreateGameBody = z.strictObject({
  type: GameType,
  opponent: Opponent,
  rated: z.boolean().default(true),
  clock: ClockSettings.optional(),
  /** Which seat the creator takes; random when omitted. Seat 0 moves first. */
  seat: Seat.optional(),
});
export type CreateGameBody = z.infer<typeof CreateGameBody>;

export const GameResponse = z.object({ game: GameSnapshot });
export type GameResponse = z.infer<typeof GameResponse>;

export const GameIdParams = z.strictObject({ id: Id });

export const ListGamesQuery = z.strictObject({
  status: GameStatus.optional(),
  type: GameType.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Opaque cursor from a previous page's nextCursor. */
  cursor: z.string().max(200).optional(),
});
export type ListGamesQuery = z.infer<typeof ListGamesQuery>;

export const ListGamesResponse = z.object({
  games: z.array(GameSummary),
  nextCursor: z.string().nullable(),
});
export type ListGamesResponse = z.infer<typeof ListGamesResponse>;

export const MoveBody = z.strictObject({
  move: Move,
  expectedSeq: z.number().int().min(0).max(1_000_000),
});
export type MoveBody = z.infer<typeof MoveBody>;

export const MoveResponse = z.object({
  game: GameSnapshot,
  /** Sequence number of the move event this request created. */
  seq: z.number().int(),
});
export type MoveResponse = z.infer<typeof MoveResponse>;

/** POST /api/games/:id/chat. */
export const ChatBody = z.strictObject({ text: ChatText });
export type ChatBody = z.infer<typeof ChatBody>;

/** The chat event's sequence number. */
export const ChatResponse = z.object({ seq: z.number().int() });
export type ChatResponse = z.infer<typeof ChatResponse>;
