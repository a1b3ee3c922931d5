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
    /** Hash "<replicaId> <playerId>" → ms since that replica has the player on a game topic. */
    players: (topic: string) => `${prefix}presence-players:${topic}`,
    /** Hash playerId → ms the player was last seen on a game topic (left, or a heartbeat while there). */
    seen: (topic: string) => `${prefix}presence-seen:${topic}`,
    /** Heartbeat key of an event-stream replica (TTL 30 s). */
    replica: (id: string) => `${prefix}replica:${id}`,
    /** Channel carrying "the presence of <topic> changed". */
    presenceChannel: `${prefix}presence-changed`,
  };
}
