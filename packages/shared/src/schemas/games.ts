import { z } from 'zod';
import { GAME_TYPES, GAMES, type GameTypeName } from '../games/catalog.js';
import { AgentId, ClockSettings, GameResult, Seat } from './game-basics.js';
import { ChatText, Id, Timestamp } from './common.js';

export * from './game-basics.js';

/** Derived from the one list of games: every type the API accepts has an engine, an AI and a board. */
export const GameType = z.enum(GAME_TYPES);
export type GameType = z.infer<typeof GameType>;

/**
 * Each game's move schema (its engine's `moveSchema`), read off the one list of games.
 * `Move`, the API's move of any game, is the union of these, not a hand list.
 */
export const MOVE_SCHEMAS = Object.fromEntries(GAME_TYPES.map((t) => [t, GAMES[t].engine.moveSchema])) as {
  readonly [K in GameTypeName]: (typeof GAMES)[K]['engine']['moveSchema'];
};
export type Move = z.infer<(typeof MOVE_SCHEMAS)[GameType]>;
export const Move: z.ZodType<Move> = z.union(Object.values(MOVE_SCHEMAS) as unknown as readonly [z.ZodType<Move>, ...z.ZodType<Move>[]]);

export const GameStatus = z.enum(['open', 'active', 'finished']);
export type GameStatus = z.infer<typeof GameStatus>;

export const SeatInfo = z.object({
  seat: Seat,
  playerId: Id,
  name: z.string(),
  kind: z.enum(['human', 'agent']),
  agentId: AgentId.optional(),
  emoji: z.string().optional(),
  rating: z.number(),
  /** The rating is provisional (deviation still high): shown as "1520?". */
  provisional: z.boolean(),
});
export type SeatInfo = z.infer<typeof SeatInfo>;

/**
 * The clocks of a timed game, measured by the server: `remainingMs[seat]` is what each
 * side had left at server time `at` (a move's commit, or when the snapshot was read),
 * and the clock of `running` has been counting down since. Clients count down from the
 * moment they receive it.
 */
export const ClockState = z.object({
  remainingMs: z.tuple([z.number().int(), z.number().int()]),
  /**
   * Seat whose clock runs; null when none does: the game is not started or over, or the
   * side to move has not made its first move yet (clocks start only after each side's
   * first move, `firstMoveBy`).
   */
  running: Seat.nullable(),
  at: Timestamp,
  /**
   * An active game whose side to move has not made its first move yet: its clock does not
   * run, and if no move comes by this server time the game is aborted, unrated
   * (`FIRST_MOVE_TIMEOUT_SECONDS`). Absent once both sides have moved.
   */
  firstMoveBy: Timestamp.optional(),
});
export type ClockState = z.infer<typeof ClockState>;

/** A rated game's effect on one player's rating (rounded), stored with the game. */
export const RatingChange = z.object({ seat: Seat, playerId: Id, before: z.number(), after: z.number() });
export type RatingChange = z.infer<typeof RatingChange>;

/** Open offers of a game: the seat that made each, or null. */
export const Offers = z.object({
  /** Draw offered (stands until the opponent answers or the offerer's opponent moves). */
  draw: Seat.nullable(),
  /** Take back the offerer's last move (stands until answered or the next move). */
  takeback: Seat.nullable(),
  /** Play again with colours swapped (finished games only). */
  rematch: Seat.nullable(),
});
export type Offers = z.infer<typeof Offers>;

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
  /** Timed games: the clocks (null when untimed). */
  clockState: ClockState.nullable(),
  offers: Offers,
  /** The rematch game, once a rematch offer was accepted. */
  rematchId: Id.nullable(),
  /** Rated and finished: how the game moved each player's rating. */
  ratingChanges: z.array(RatingChange).nullable(),
  /** A player gone from the game this long (no open event stream) lets the other claim it. */
  claimAfterSeconds: z.number().int().min(0),
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
  clock: true,
  ratingChanges: true,
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

/** POST /api/games/:id/reports: report a player's chat in this game (optionally one line, by its event seq). */
export const ReportBody = z.strictObject({
  playerId: Id,
  /** The seq of the chat line reported (a `chat` event of that player in this game). */
  seq: z.number().int().min(1).optional(),
  /** Why, in the reporter's words. */
  reason: z.string().trim().max(280).optional(),
});
export type ReportBody = z.infer<typeof ReportBody>;

/** The stored report; reporting the same player in the same game again answers the first report. */
export const ReportResponse = z.object({ report: z.object({ id: Id, createdAt: Timestamp }) });
export type ReportResponse = z.infer<typeof ReportResponse>;

/** Every live-game command names the seq it saw, like a move (409 stale_seq when the game moved on). */
export const ActionBody = z.strictObject({ expectedSeq: z.number().int().min(0).max(1_000_000) });
export type ActionBody = z.infer<typeof ActionBody>;

/** POST /api/games/:id/offers: offer, accept, decline or withdraw a draw, takeback or rematch. */
export const OfferBody = z.strictObject({
  offer: z.enum(['draw', 'takeback', 'rematch']),
  action: z.enum(['offer', 'accept', 'decline', 'cancel']),
  expectedSeq: z.number().int().min(0).max(1_000_000),
});
export type OfferBody = z.infer<typeof OfferBody>;

/** POST /api/games/:id/claim: the opponent is gone (claimAfterSeconds): take the win or a draw. */
export const ClaimBody = z.strictObject({
  outcome: z.enum(['win', 'draw']),
  expectedSeq: z.number().int().min(0).max(1_000_000),
});
export type ClaimBody = z.infer<typeof ClaimBody>;

/** Answer of /offers: the game, and the new game when a rematch was agreed. */
export const OfferResponse = z.object({ game: GameSnapshot, rematch: GameSnapshot.optional() });
export type OfferResponse = z.infer<typeof OfferResponse>;
