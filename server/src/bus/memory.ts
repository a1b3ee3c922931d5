import type { BusEvent, Topic } from '@monkeytown/shared';
import type { Bus, PresenceListener } from './types.js';
import { isGameTopic, toGameTopic } from './types.js';
import { LocalPlayerPresence } from './player-presence.js';

export interface MemoryBusOptions {
  /** Events kept per game topic for replay (the Redis bus uses the same default). */
  replayMaxLen?: number;
  /** Game topics remembered at most; the least recently published one is forgotten first. */
  maxTopics?: number;
}

interface TopicState {
  ring: BusEvent[];
  lastSeq: number;
}

type Handler = (event: BusEvent) => void;

/**
 * In-process bus for the embedded mode (game-server and event-stream in one process).
 * Publish fans out synchronously to the subscribers, in order; game topics keep a
 * bounded replay ring and drop events whose seq is not above the last one published
 * (a relay retrying a batch it already published must not produce duplicates).
 */
export function createMemoryBus(opts: MemoryBusOptions = {}): Bus {
  const replayMaxLen = opts.replayMaxLen ?? 1000;
  const maxTopics = opts.maxTopics ?? 10_000;
  const topics = new Map<Topic, TopicState>();
  const handlers = new Map<Topic, Set<Handler>>();
  const presence = new Map<Topic, number>();
  const presenceListeners = new Set<PresenceListener>();
  const players = new LocalPlayerPresence();
  let closed = false;

  const assertOpen = () => {
    if (closed) throw new Error('bus closed');
  };

  /** Returns false when the event is a duplicate/old seq of a game topic. */
  const record = (event: BusEvent): boolean => {
    if (!isGameTopic(event.topic)) return true;
    let state = topics.get(event.topic);
    if (state && event.seq <= state.lastSeq) return false;
    if (!state) state = { ring: [], lastSeq: 0 };
    // Re-insert so Map order is "least recently published first" for eviction.
    topics.delete(event.topic);
    topics.set(event.topic, state);
    state.ring.push(event);
    if (state.ring.length > replayMaxLen) state.ring.splice(0, state.ring.length - replayMaxLen);
    state.lastSeq = event.seq;
    while (topics.size > maxTopics) {
      const oldest = topics.keys().next().value as Topic;
      topics.delete(oldest);
    }
    return true;
  };

  const deliver = (event: BusEvent) => {
    const set = handlers.get(event.topic);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        handler(event);
      } catch {
        // A subscriber's bug must not stop delivery to the others or fail the publisher.
      }
    }
  };

  return {
    kind: 'memory',

    async publish(events) {
      assertOpen();
      for (const event of events) if (record(event)) deliver(event);
    },

    async publishDirect(events) {
      assertOpen();
      return events.map((event) => {
        if (isGameTopic(event.topic)) {
          const last = topics.get(event.topic)?.lastSeq ?? 0;
          if (event.seq <= last) return 'duplicate';
          if (event.seq !== last + 1) return 'gap';
        }
        record(event);
        deliver(event);
        return 'published';
      });
    },

    async subscribe(topic, onEvent) {
      assertOpen();
      let set = handlers.get(topic);
      if (!set) handlers.set(topic, (set = new Set()));
      // Wrap so the same function may be subscribed twice and removed once per call.
      const handler: Handler = (e) => onEvent(e);
      set.add(handler);
      return async () => {
        const current = handlers.get(topic);
        if (!current) return;
        current.delete(handler);
        if (current.size === 0) handlers.delete(topic);
      };
    },

    async replay(topic, sinceSeq) {
      assertOpen();
      const state = topics.get(topic);
      if (!state) return { events: [], complete: true };
      const events = state.ring.filter((e) => e.seq > sinceSeq);
      const first = events[0];
      const complete = first ? first.seq <= sinceSeq + 1 : state.lastSeq <= sinceSeq;
      return { events, complete };
    },

    async lastSeq(topic) {
      return topics.get(topic)?.lastSeq ?? null;
    },

    async ping() {
      return !closed;
    },

    onResubscribe() {
      // An in-process bus never disconnects.
      return () => {};
    },

    async setPresence(topic, count, playerIds) {
      if (count > 0) presence.set(topic, count);
      else presence.delete(topic);
      if (playerIds) players.set(topic, playerIds);
      for (const l of [...presenceListeners]) l(topic);
    },

    async spectatorCount(gameIdOrTopic) {
      return presence.get(toGameTopic(gameIdOrTopic)) ?? 0;
    },

    async playerPresence(gameIdOrTopic) {
      return players.get(toGameTopic(gameIdOrTopic));
    },

    async onPresence(listener) {
      presenceListeners.add(listener);
      return async () => {
        presenceListeners.delete(listener);
      };
    },

    async close() {
      closed = true;
      handlers.clear();
      presenceListeners.clear();
    },
  };
}
