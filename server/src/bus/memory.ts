import type { BusEvent, Topic } from '@monkeytown/shared';
import type { Bus, PresenceListener, PublishResult, SignOutListener } from './types.js';
import { isGameTopic, lobbyVersion, toGameTopic } from './types.js';
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
  /** A game's last published seq (null: not known, see EventBus.publish); the lobby's counter. */
  lastSeq: number | null;
  /** A game's events waiting for their predecessor, by seq. */
  parked?: Map<number, BusEvent>;
  /** The lobby's recently published event ids (oldest first). */
  ids?: Set<number>;
}

type Handler = (event: BusEvent) => void;

/**
 * In-process bus for the embedded mode (game-server and event-stream in one process),
 * with the Redis bus's semantics (EventBus.publish; the same contract tests). Publish
 * fans out synchronously to the subscribers, in order; every topic keeps a bounded
 * replay ring. A game's events go out strictly in seq order: one already out is
 * dropped, one whose predecessor is missing is parked and goes out right behind it. The
 * lobby numbers its events as they are published, from a counter that starts at the
 * clock in microseconds (as the Redis bus's does), drops an id it saw and a row older
 * than its game's newest.
 */
export function createMemoryBus(opts: MemoryBusOptions = {}): Bus {
  const replayMaxLen = opts.replayMaxLen ?? 1000;
  const maxTopics = opts.maxTopics ?? 10_000;
  const lobbyIdWindow = opts.lobbyIdWindow ?? 10_000;
  const topics = new Map<Topic, TopicState>();
  /** Game id → the newest game seq whose lobby row went out (least recently written first). */
  const lobbyVersions = new Map<string, number>();
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

  /** The topic's state, made most recently used (Map order: the least recently used is forgotten first). */
  const touch = (topic: Topic, make: () => TopicState): TopicState => {
    const state = topics.get(topic) ?? make();
    topics.delete(topic);
    topics.set(topic, state);
    while (topics.size > maxTopics) topics.delete(topics.keys().next().value as Topic);
    return state;
  };

  const append = (state: TopicState, event: BusEvent) => {
    state.ring.push(event);
    if (state.ring.length > replayMaxLen) state.ring.splice(0, state.ring.length - replayMaxLen);
    state.lastSeq = event.seq;
    deliver(event);
  };

  /** A game event, in seq order (the Redis bus's PUBLISH_GAMES_LUA, step for step). */
  const publishGame = (input: BusEvent, floor: number): PublishResult => {
    const state = touch(input.topic, () => ({ ring: [], lastSeq: null, parked: new Map() }));
    let last = state.lastSeq;
    if (floor > 0 && (last === null || last < floor - 1)) last = floor - 1;
    if (last === null && input.seq === 1) last = 0;
    if (last !== null && input.seq <= last) return 'duplicate';
    const parked = state.parked!;
    if (last === null || input.seq > last + 1) {
      parked.set(input.seq, input);
      return last === null ? 'unanchored' : 'parked';
    }
    for (let e: BusEvent | undefined = input; e; e = parked.get(e.seq + 1)) {
      parked.delete(e.seq);
      append(state, e);
    }
    for (const seq of parked.keys()) if (seq <= state.lastSeq!) parked.delete(seq); // passed by a floor
    return 'published';
  };

  const publishLobby = (input: BusEvent): PublishResult => {
    const state = touch(input.topic, () => ({ ring: [], lastSeq: Date.now() * 1000, ids: new Set() }));
    const ids = state.ids!;
    if (ids.has(input.seq)) return 'duplicate';
    const version = lobbyVersion(input);
    if (version) {
      if ((lobbyVersions.get(version.gameId) ?? -1) > version.seq) return 'duplicate';
      lobbyVersions.delete(version.gameId);
      lobbyVersions.set(version.gameId, version.seq);
      if (lobbyVersions.size > maxTopics) lobbyVersions.delete(lobbyVersions.keys().next().value as string);
    }
    ids.add(input.seq);
    if (ids.size > lobbyIdWindow) ids.delete(ids.values().next().value as number);
    append(state, { ...input, seq: state.lastSeq! + 1 });
    return 'published';
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

    async publish(events, floors) {
      assertOpen();
      return events.map((e) => (isGameTopic(e.topic) ? publishGame(e, floors?.get(e.topic) ?? 0) : publishLobby(e)));
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
      const complete = first ? first.seq <= sinceSeq + 1 : state.lastSeq === null || state.lastSeq <= sinceSeq;
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
      return { spectators: presence.get(topic) ?? 0, players: players.get(topic), seats: players.seatsOf(topic) };
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
