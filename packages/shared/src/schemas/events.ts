import { z } from 'zod';
import { Id, Timestamp } from './common.js';
import { ClockState, GameResult, GameSnapshot, GameStatus, GameSummary, Move, RatingChange, Seat, SeatInfo } from './games.js';

/**
 * Kinds of game events. Every one is committed in the game's transaction with an
 * outbox row and carries the game's next sequence number (BRIEF §4).
 */
export const GameEventKind = z.enum([
  'game.created',
  'player.joined',
  'agent.thinking',
  'move',
  'chat',
  'game.over',
  'offer',
  'takeback',
  'rematch',
]);
export type GameEventKind = z.infer<typeof GameEventKind>;

export const MoveEventData = z.object({
  seat: Seat,
  playerId: Id,
  move: Move,
  /** Human-readable reason, for agent moves. */
  reason: z.string().nullable(),
  /** 1-based index of this move in the game. */
  moveNumber: z.number().int().min(1),
  /** Public state after the move. */
  state: z.unknown(),
  turn: Seat.nullable(),
  status: GameStatus,
  /** Timed games: the clocks as this move's commit left them (absent in untimed games). */
  clockState: ClockState.nullable().optional(),
});
export type MoveEventData = z.infer<typeof MoveEventData>;

export const ChatEventData = z.object({
  playerId: Id,
  name: z.string(),
  text: z.string(),
});
export type ChatEventData = z.infer<typeof ChatEventData>;

export const GameOverEventData = z.object({
  result: GameResult,
  /** Rating after the game per seat, when rated. */
  ratings: z.array(RatingChange).optional(),
  /** Timed games: the clocks when it ended (a flag shows 0:00). */
  clockState: ClockState.nullable().optional(),
});
export type GameOverEventData = z.infer<typeof GameOverEventData>;

/**
 * A seat was taken. It carries what the join changed, so a client folds it without
 * knowing the rules: the game's status and turn after it, and the clocks as the join left
 * them (timed games). Absent in events stored before they were added: a client then keeps
 * what it had (an open game with two seats is active, the first seat moves).
 */
export const PlayerJoinedEventData = z.object({
  player: SeatInfo,
  status: GameStatus.optional(),
  turn: Seat.nullable().optional(),
  clockState: ClockState.nullable().optional(),
});
export type PlayerJoinedEventData = z.infer<typeof PlayerJoinedEventData>;
export const AgentThinkingEventData = z.object({ seat: Seat, agentId: z.string() });
export type AgentThinkingEventData = z.infer<typeof AgentThinkingEventData>;
/** The game as it was created (seq 1). */
export const GameCreatedEventData = z.object({ game: GameSnapshot });
export type GameCreatedEventData = z.infer<typeof GameCreatedEventData>;

/** A draw, takeback or rematch offer was made, accepted, declined or withdrawn (by `seat`). */
export const OfferEventData = z.object({
  offer: z.enum(['draw', 'takeback', 'rematch']),
  action: z.enum(['offered', 'accepted', 'declined', 'cancelled']),
  seat: Seat,
});
export type OfferEventData = z.infer<typeof OfferEventData>;

/** Moves were taken back (an accepted takeback): the position as it is now. */
export const TakebackEventData = z.object({
  /** How many moves (plies) were undone. */
  plies: z.number().int().min(1).max(2),
  state: z.unknown(),
  turn: Seat.nullable(),
  moveCount: z.number().int().min(0),
  clockState: ClockState.nullable().optional(),
});
export type TakebackEventData = z.infer<typeof TakebackEventData>;

/** The rematch was agreed: the new game (both seats taken, colours swapped). */
export const RematchEventData = z.object({ gameId: Id });
export type RematchEventData = z.infer<typeof RematchEventData>;

/**
 * The payload schema of every game event kind. The server's emit, the REST events, the
 * stream client and the web all type `data` from this one map; a kind without a schema
 * (or a schema without a kind) fails `tsc`.
 */
export const GameEventData = {
  'game.created': GameCreatedEventData,
  'player.joined': PlayerJoinedEventData,
  'agent.thinking': AgentThinkingEventData,
  move: MoveEventData,
  chat: ChatEventData,
  'game.over': GameOverEventData,
  offer: OfferEventData,
  takeback: TakebackEventData,
  rematch: RematchEventData,
} as const satisfies { [K in GameEventKind]: z.ZodType };
export type GameEventDataOf<K extends GameEventKind> = z.infer<(typeof GameEventData)[K]>;

/** `{ kind, data }` with `data` typed by `kind`: switch on `kind` and `data` narrows. */
export type GameEventBody = { [K in GameEventKind]: { kind: K; data: GameEventDataOf<K> } }[GameEventKind];

/**
 * A zod discriminated union on `kind` of `{ ...base, kind, data }`, one option per entry
 * of the map, so OpenAPI and runtime checks see each kind's payload.
 */
export function withGameEventBody<S extends z.ZodRawShape>(base: S): z.ZodType<z.infer<z.ZodObject<S>> & GameEventBody> {
  const options = GameEventKind.options.map((kind) => z.object({ ...base, kind: z.literal(kind), data: GameEventData[kind] }));
  // Built by a loop, each option is typed for every kind at once; the return type states
  // the per-kind union the runtime schema really checks.
  return z.discriminatedUnion('kind', options as [(typeof options)[number], ...(typeof options)[number][]]) as never;
}

/** One stored event of one game: GET /api/games/:id/events. */
export const GameEvent = withGameEventBody({ gameId: Id, seq: z.number().int().min(1), at: Timestamp });
export type GameEvent = z.infer<typeof GameEvent>;
export type GameEventOf<K extends GameEventKind> = Extract<GameEvent, { kind: K }>;

export const EventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export const EventsResponse = z.object({ events: z.array(GameEvent) });
export type EventsResponse = z.infer<typeof EventsResponse>;

/** Lobby events: a game appeared, filled, moved or finished. */
export const LobbyEventKind = z.enum(['lobby.game']);
export const LobbyEventData = z.object({ game: GameSummary });
export type LobbyEventData = z.infer<typeof LobbyEventData>;

/** Topics on the event bus and the WebSocket: `lobby` or `game:<uuid>`. */
export const Topic = z
  .string()
  .max(64)
  .regex(
    /^(lobby|game:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
    'topic must be "lobby" or "game:<id>"',
  );
export type Topic = z.infer<typeof Topic>;

export const gameTopic = (gameId: string): Topic => `game:${gameId}`;
export const LOBBY_TOPIC: Topic = 'lobby';

/**
 * What travels on the bus (Redis pub/sub or in-process) and, wrapped as an `event`
 * message, on the WebSocket. For game topics `seq` is the game's sequence number;
 * for the lobby it is the lobby's own, given by the bus as it publishes: contiguous and
 * increasing in delivery order, replayable like a game's (docs/event-stream.md).
 */
export const BusEvent = z.object({
  topic: Topic,
  seq: z.number().int().min(0),
  kind: z.string(),
  data: z.unknown(),
  at: Timestamp,
});
export type BusEvent = z.infer<typeof BusEvent>;

/** A game topic's event as the stream client delivers it: `data` checked against its kind's schema. */
export const GameStreamEvent = withGameEventBody({ topic: Topic, seq: z.number().int().min(1), at: Timestamp });
export type GameStreamEvent = z.infer<typeof GameStreamEvent>;

/** The lobby topic's event as the stream client delivers it. */
export const LobbyStreamEvent = z.object({
  topic: z.literal('lobby'),
  seq: z.number().int().min(0),
  kind: LobbyEventKind,
  data: LobbyEventData,
  at: Timestamp,
});
export type LobbyStreamEvent = z.infer<typeof LobbyStreamEvent>;
