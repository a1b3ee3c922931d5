import type { BusEvent, Topic } from '@monkeytown/shared';
import type { Bus, PresenceListener, SignOutListener } from './types.js';
import { isGameTopic, toGameTopic } from './types.js';
import { LocalPlayerPresence } from './player-presence.js';

export interface MemoryBusOptions {
  /** Events kept per game topic for replay (the Redis bus uses the same default). */
  replayMaxLen?: number;
  /** Topics remembered at most; the least recently published one is forgotten first. */
  maxTopics?: number;
  /** Lobby event ids remembered to drop a second publish of one (the Redis bus uses the same default). */
  lobbyIdWindow?: number;
}

interface TopicState {
  ring: BusEvent[];
  lastSeq: number;
  /** The lobby's recently published event ids (oldest first). */
  ids?: Set<number>;
}

type Handler = (event: BusEvent) => void;

/**
 * In-process bus for the embedded mode (game-server and event-stream in one process).
 * Publish fans out synchronously to the subscribers, in order; every topic keeps a
 * bounded replay ring. Game topics drop events whose seq is not above the last one
 * published (a relay retrying a batch it already published must not produce
 * duplicates); the lobby numbers its events as they are published, from a counter that
 * starts at the clock in microseconds (as the Redis bus's does), and drops an id it saw.
 */
export function createMemoryBus(opts: MemoryBusOptions = {}): Bus {
  const replayMaxLen = opts.replayMaxLen ?? 1000;
  const maxTopics = opts.maxTopics ?? 10_000;
  const lobbyIdWindow = opts.lobbyIdWindow ?? 10_000;
  const topics = new Map<Topic, TopicState>();
  const handlers = new Map<Topic, Set<Handler>>();
  const presence = new Map<Topic, number>();
  const presenceListeners = new Set<PresenceListener>();
  const players = new LocalPlayerPresence();
  /** player → the version their tokens must have (after a sign-out); the process's lifetime is shorter than a token's. */
  const tokenFloors = new Map<string, number>();
  const signOutListeners = new Set<SignOutListener>();
  let closed = false;

  const assertOpen = () => {
    if (closed) throw new Error('bus closed');
  };

  /** The event as published (the lobby's with its seq), or null for a duplicate/old one. */
  const record = (input: BusEvent): BusEvent | null => {
    const game = isGameTopic(input.topic);
    let state = topics.get(input.topic);
    if (!state) state = game ? { ring: [], lastSeq: 0 } : { ring: [], lastSeq: Date.now() * 1000, ids: new Set() };
    let event = input;
    if (game) {
      if (event.seq <= state.lastSeq) return null;
    } else {
      const ids = state.ids!;
      if (ids.has(input.seq)) return null;
      ids.add(input.seq);
      if (ids.size > lobbyIdWindow) ids.delete(ids.values().next().value as number);
      event = { ...input, seq: state.lastSeq + 1 };
    }
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
    return event;
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
      for (const input of events) {
        const event = record(input);
        if (event) deliver(event);
      }
    },

    async publishDirect(events) {
      assertOpen();
      return events.map((event) => {
        if (isGameTopic(event.topic)) {
          const last = topics.get(event.topic)?.lastSeq ?? 0;
          if (event.seq <= last) return 'duplicate';
          if (event.seq !== last + 1) return 'gap';
        }
        const published = record(event);
        if (!published) return 'duplicate';
        deliver(published);
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
      if (!state) return { events: [], complete: true, last: null };
      const events = state.ring.filter((e) => e.seq > sinceSeq);
      const first = events[0];
      const complete = first ? first.seq <= sinceSeq + 1 : state.lastSeq <= sinceSeq;
      return { events, complete, last: state.lastSeq };
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

    onInvalidEvent() {
      // Objects, not text: nothing to decode (the event-stream checks each event it frames).
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

    async presence(gameIdOrTopic) {
      const topic = toGameTopic(gameIdOrTopic);
      return { spectators: presence.get(topic) ?? 0, players: players.get(topic) };
    },

    async standing(gameIdOrTopic, playerIds) {
      return players.standing(toGameTopic(gameIdOrTopic), playerIds);
    },

    async setSeats(gameIdOrTopic, seats) {
      const topic = toGameTopic(gameIdOrTopic);
      players.setSeats(topic, seats);
      for (const l of [...presenceListeners]) l(topic);
    },

    async onPresence(listener) {
      presenceListeners.add(listener);
      return async () => {
        presenceListeners.delete(listener);
      };
    },

    async signOut(playerId, tokenVersion) {
      tokenFloors.set(playerId, Math.max(tokenVersion, tokenFloors.get(playerId) ?? 0));
      for (const l of [...signOutListeners]) l(playerId, tokenVersion);
    },

    async tokenFloors(playerIds) {
      return new Map(playerIds.flatMap((id) => (tokenFloors.has(id) ? [[id, tokenFloors.get(id)!] as const] : [])));
    },

    async onSignOut(listener) {
      signOutListeners.add(listener);
      return async () => {
        signOutListeners.delete(listener);
      };
    },

    async close() {
      closed = true;
      handlers.clear();
      presenceListeners.clear();
      signOutListeners.clear();
    },
  };
}
