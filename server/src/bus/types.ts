import type { BusEvent, Topic } from '@monkeytown/shared';

/**
 * The event bus between game-server (publisher: the committing process, and the outbox relay) and
 * event-stream (subscriber). Redis pub/sub + a capped replay stream per game when
 * REDIS_URL is set; in-process otherwise. Both implementations pass the same
 * contract tests.
 */
export interface EventBus {
  /**
   * Publish events (already committed in Postgres), each appended to its topic's bounded
   * replay buffer atomically with the publish. Rejects when the bus is unreachable (the
   * caller leaves the rows to the outbox relay, which retries).
   *
   * Game topics carry the game's seq (from Postgres) and go out strictly in seq order,
   * whoever hands them in and in whatever order (the committing replica, another
   * replica racing it, the relay): one already out is 'duplicate'; one whose
   * predecessor is not out yet is 'parked' on the bus and goes out, in the same atomic
   * step, the moment the predecessor does; 'unanchored' is parked too, because the bus
   * does not know the game's last seq (a wiped Redis, a game silent past the TTL) —
   * until someone publishes with the game's `floor` (its lowest unpublished seq in the
   * outbox: every seq below it was published), which only the outbox knows.
   *
   * The lobby's seq is assigned here, at publish time: the event goes out with the
   * topic's next seq (contiguous, so delivery order = seq order on every subscriber,
   * whichever replica published first). The `seq` handed in for the lobby is the event's
   * own id (its outbox id): a second publish of a recent id is 'duplicate', and so is a
   * row carrying an older state of its game than one already published.
   */
  publish(events: readonly BusEvent[], floors?: ReadonlyMap<string, number>): Promise<PublishResult[]>;
  /**
   * Subscribe this process to a topic; `onEvent` sees every event published after
   * the subscription is active. Returns an unsubscribe function. One underlying
   * subscription per topic per process.
   */
  subscribe(topic: Topic, onEvent: (event: BusEvent) => void): Promise<() => Promise<void>>;
  /**
   * Events of a topic with seq > sinceSeq from the replay buffer, in order.
   * `complete` is false when the buffer no longer reaches back to sinceSeq + 1
   * (the caller must resync from REST). `last`: the topic's last seq as the same
   * atomic read saw it (null: the bus has not seen the topic), when the bus tells it.
   */
  replay(topic: Topic, sinceSeq: number): Promise<{ events: BusEvent[]; complete: boolean; last?: number | null }>;
  /** Cheap liveness check for /health/ready. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** What became of one published event (EventBus.publish). */
export type PublishResult = 'published' | 'duplicate' | 'parked' | 'unanchored';

/**
 * The game a lobby row is about and the game seq its state is as of (the lobby drops a
 * row older than one already out); null for a lobby event about no game.
 */
export function lobbyVersion(event: BusEvent): { gameId: string; seq: number } | null {
  const game = (event.data as { game?: { id?: unknown; seq?: unknown } } | null)?.game;
  return game && typeof game.id === 'string' && typeof game.seq === 'number' ? { gameId: game.id, seq: game.seq } : null;
}

/** Called when the subscriptions of a bus came back after an outage (events may have been missed). */
export type ResubscribeListener = () => void;
/** A message on `topic` that did not decode to a valid event ('live': pub/sub, 'replay': the stream). */
export type InvalidEventListener = (topic: Topic, where: 'live' | 'replay') => void;
/** A player's presence on a game (the `presence` ws message's `players` entries). */
export interface PlayerPresence {
  playerId: string;
  online: boolean;
  /** ISO time it last changed: since when online, or when last seen. */
  since: string;
}

/**
 * Where one player stands on a game, looked up by id (not from the list shown to
 * clients): what a claim decides on. `tokenVersion`: while online, the newest token
 * version among the player's open streams (null: a replica that does not say).
 */
export interface PlayerStanding extends PlayerPresence {
  tokenVersion: number | null;
}

/** A signed-in player among a replica's sockets on a game, with the newest token version they opened one with. */
export interface PresentPlayer {
  playerId: string;
  tokenVersion: number;
}

/** A game's seated players by seat (null: open). */
export type Seats = readonly [string | null, string | null];

/** What the event-stream shows a game's sockets: the count and list, and who sits (null: not told). */
export interface GamePresence {
  spectators: number;
  players: PlayerPresence[];
  /** The seats the list was ordered by: the event-stream sends their changes at once, the rest paced. */
  seats: Seats | null;
}

/** Called with a game topic whose spectator count changed somewhere (any replica). */
export type PresenceListener = (topic: Topic) => void;
/** Called when a player signed out: every token of theirs below `tokenVersion` is dead. */
export type SignOutListener = (playerId: string, tokenVersion: number) => void;

/**
 * What createBus() returns: the EventBus plus the parts the event-stream needs
 * (topic existence, outage recovery, cross-replica presence). The game-server may
 * call `spectatorCount(gameId)` to put the count into snapshots.
 */
export interface Bus extends EventBus {
  readonly kind: 'memory' | 'redis';
  /**
   * Highest seq published on a topic, or null when the bus has never seen the topic
   * (or forgot it: replay TTL passed, Redis lost its data). The event-stream uses it to
   * tell a nonexistent game from a silent one, and as the lobby's resume point.
   */
  lastSeq(topic: Topic): Promise<number | null>;
  /** Subscribe to "subscriptions were restored after a disconnect". Returns a remover. */
  onResubscribe(listener: ResubscribeListener): () => void;
  /**
   * Be told of every message on a subscribed topic (live or replayed) that was not a
   * valid event and was dropped: never delivered, and counted by the event-stream.
   * Returns a remover. (The in-process bus carries objects, not text: the event-stream
   * checks those itself.)
   */
  onInvalidEvent(listener: InvalidEventListener): () => void;
  /**
   * Set THIS process's number of spectators of a game topic (0 removes it) and, when
   * given, the signed-in players among them (distinct player ids; [] = none here now).
   */
  setPresence(topic: Topic, count: number, players?: readonly PresentPlayer[]): Promise<void>;
  /** Spectators of a game across all live event-stream replicas. */
  spectatorCount(gameIdOrTopic: string): Promise<number>;
  /**
   * The players shown on a game (the `presence` message's list): its seated players
   * first, whatever else watches, then other signed-in watchers, at most
   * MAX_LISTED_PLAYERS in all. Each is online now (on a live replica), or offline since
   * they were last seen (a replica that died silently drops out, its players last seen
   * at its last heartbeat).
   */
  playerPresence(gameIdOrTopic: string): Promise<PlayerPresence[]>;
  /** Both of the above in one read (what the event-stream shows its sockets), with the seats they were ordered by. */
  presence(gameIdOrTopic: string): Promise<GamePresence>;
  /**
   * Exactly these players on a game, looked up by id: independent of how many others
   * watch (a claim asks about its opponent here). Players never seen on the game are
   * left out.
   */
  standing(gameIdOrTopic: string, playerIds: readonly string[]): Promise<PlayerStanding[]>;
  /** The game-server tells who sits at a game (after a create, join or rematch): the list shown keeps them first. */
  setSeats(gameIdOrTopic: string, seats: Seats): Promise<void>;
  /** Be told when a game's spectator count changed on any replica. Returns a remover. */
  onPresence(listener: PresenceListener): Promise<() => Promise<void>>;
  /**
   * The game-server tells every event-stream that a player signed out: their tokens
   * below `tokenVersion` are dead (remembered for the longest token lifetime, so a
   * socket that opens later with one is refused too).
   */
  signOut(playerId: string, tokenVersion: number): Promise<void>;
  /** The version each player's tokens must have at least (players who never signed out are left out). */
  tokenFloors(playerIds: readonly string[]): Promise<Map<string, number>>;
  /** Be told of every sign-out (any replica). Returns a remover. */
  onSignOut(listener: SignOutListener): Promise<() => Promise<void>>;
}

/** True for topics that carry a game's sequence (from Postgres); the lobby's seq is the bus's. */
export const isGameTopic = (topic: string): boolean => topic.startsWith('game:');
/** Accept either a bare game id or a `game:<id>` topic. */
export const toGameTopic = (gameIdOrTopic: string): Topic =>
  (isGameTopic(gameIdOrTopic) ? gameIdOrTopic : `game:${gameIdOrTopic}`) as Topic;
