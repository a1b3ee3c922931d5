/** Every Redis key and channel the bus uses, in one place (see docs/event-stream.md). */
export function redisKeys(prefix: string) {
  return {
    /** Pub/sub channel of a topic. */
    channel: (topic: string) => `${prefix}ch:${topic}`,
    /** Capped replay stream of a game topic; entry IDs are "<seq>-1", field "e" = JSON BusEvent. */
    stream: (topic: string) => `${prefix}replay:${topic}`,
    /** Highest seq published on a game topic; its existence means "the game exists". */
    last: (topic: string) => `${prefix}last:${topic}`,
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
