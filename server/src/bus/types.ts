import type { BusEvent, Topic } from '@monkeytown/shared';

/**
 * The event bus between game-server (publisher, via the outbox relay) and
 * event-stream (subscriber). Redis pub/sub + a capped replay stream per game when
 * REDIS_URL is set; in-process otherwise. Both implementations pass the same
 * contract tests.
 */
export interface EventBus {
  /**
   * Publish events (already committed in Postgres) in the given order. For game
   * topics it also appends them to the topic's bounded replay buffer, atomically
   * with the publish. Rejects when the bus is unreachable: the relay retries.
   */
  publish(events: readonly BusEvent[]): Promise<void>;
  /**
   * Subscribe this process to a topic; `onEvent` sees every event published after
   * the subscription is active. Returns an unsubscribe function. One underlying
   * subscription per topic per process.
   */
  subscribe(topic: Topic, onEvent: (event: BusEvent) => void): Promise<() => Promise<void>>;
  /**
   * Events of a game topic with seq > sinceSeq from the replay buffer, in order.
   * `complete` is false when the buffer no longer reaches back to sinceSeq + 1
   * (the caller must resync from REST).
   */
  replay(topic: Topic, sinceSeq: number): Promise<{ events: BusEvent[]; complete: boolean }>;
  /** Cheap liveness check for /health/ready. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
