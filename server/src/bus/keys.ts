/** Every Redis key and channel the bus uses, in one place (see docs/event-stream.md). */
export function redisKeys(prefix: string) {
  return {
    /** Pub/sub channel of a topic. */
    channel: (topic: string) => `${prefix}ch:${topic}`,
    /** Capped replay stream of a topic; entry IDs are "<seq>-1", field "e" = JSON BusEvent. */
    stream: (topic: string) => `${prefix}replay:${topic}`,
    /**
     * Highest seq published on a topic. A game topic's expires with its replay stream (its
     * existence means "the game exists"); the lobby's is the counter the publish script
     * assigns seqs from and never expires.
     */
    last: (topic: string) => `${prefix}last:${topic}`,
    /** Hash seq → JSON BusEvent: a game's events waiting for their predecessor (redis-scripts.ts). */
    parked: (topic: string) => `${prefix}parked:${topic}`,
    /** The newest game seq whose lobby row was published (older rows are dropped). */
    lobbyVersion: (gameId: string) => `${prefix}lobby-version:${gameId}`,
    /** Sorted set of the lobby's recently published event ids (outbox ids): a second publish of one is dropped. */
    ids: (topic: string) => `${prefix}ids:${topic}`,
    /** Hash replicaId → spectators of a game topic on that replica. */
    presence: (topic: string) => `${prefix}presence:${topic}`,
    /** Hash "<replicaId> <playerId>" → "<ms since that replica has the player> <newest token version>" on a game topic. */
    players: (topic: string) => `${prefix}presence-players:${topic}`,
    /** Hash playerId → ms the player was last seen on a game topic (their last stream on a replica closed, or the replica died). */
    seen: (topic: string) => `${prefix}presence-seen:${topic}`,
    /** A game's seated players, "<seat 0 player> <seat 1 player>" (written by the game-server): listed first. */
    seats: (topic: string) => `${prefix}presence-seats:${topic}`,
    /** Liveness key of an event-stream replica (TTL: 3 heartbeats). */
    replica: (id: string) => `${prefix}replica:${id}`,
    /** Hash replicaId → ms of its last heartbeat: the replicas to watch, and when a dead one's players were last seen. */
    replicas: `${prefix}presence-replicas`,
    /** Set of the game topics a replica has watchers of: what to clean up when it dies. */
    replicaTopics: (id: string) => `${prefix}presence-topics:${id}`,
    /** Held by the replica cleaning up after a dead one (so one does it). */
    reapLock: (id: string) => `${prefix}presence-reap:${id}`,
    /** Channel carrying "the presence of <topic> changed". */
    presenceChannel: `${prefix}presence-changed`,
    /** The token version a player's tokens must have at least, after a sign-out (TTL: the longest token lifetime). */
    tokenFloor: (playerId: string) => `${prefix}signed-out:${playerId}`,
    /** Channel carrying "<playerId> <tokenVersion>": that player signed out. */
    signOutChannel: `${prefix}signed-out`,
  };
}
