import { Redis } from 'ioredis';
import type { BusEvent, Topic } from '@monkeytown/shared';
import type { Bus, InvalidEventListener, PresenceListener } from './types.js';
import { isGameTopic, lobbyVersion, toGameTopic } from './types.js';
import type { PublishResult } from './types.js';
import { redisKeys } from './keys.js';
import { createRedisChannels, type RawHandler } from './redis-channels.js';
import { createRedisPresence } from './redis-presence.js';
import { createRedisSignOuts } from './redis-sign-out.js';
import { PUBLISH_GAMES_LUA, PUBLISH_LOBBY_LUA, REPLAY_LUA } from './redis-scripts.js';
import { whenReady } from './redis-ready.js';
import { decodeBusEvent } from './wire.js';

export interface RedisBusOptions {
  url: string;
  /** Prefix of every key and channel (tests use a unique one per run). */
  keyPrefix?: string;
  /** Approximate number of events kept per game (XADD MAXLEN ~). */
  replayMaxLen?: number;
  /** Replay stream, last-seq and presence keys expire this long after the last write. */
  ttlSeconds?: number;
  /** Lobby event ids remembered to drop a second publish of one (default 10,000). */
  lobbyIdWindow?: number;
  /** A command that takes longer than this rejects (the relay retries). */
  commandTimeoutMs?: number;
  /** Presence heartbeat of an event-stream replica (it is dead 3 heartbeats after its last); default 5000. */
  presenceHeartbeatMs?: number;
  log?: { warn(obj: object, msg?: string): void };
}

/**
 * Game events per script call at most: a script holds Redis for its whole run (~8 µs an
 * event), so a relay's backlog of thousands goes as several calls other clients'
 * commands can slip between, not one long stall. A move batch (256 at most) is one call.
 */
const MAX_RUN = 256;

/** The replay read's script (redis-scripts.ts): the entries after a seq and the last seq, atomically. */
type ReplayCommand = { mtReplay(stream: string, last: string, from: string): Promise<[[string, string[]][], string | null]> };

/** A lobby event's JSON split around its seq, which the publish script fills in. */
const aroundSeq = (e: BusEvent): [string, string] => [
  `{"topic":${JSON.stringify(e.topic)},"seq":`,
  `,${JSON.stringify({ kind: e.kind, data: e.data, at: e.at }).slice(1)}`,
];

export function createRedisBus(opts: RedisBusOptions): Bus {
  const keys = redisKeys(opts.keyPrefix ?? 'mt:');
  const replayMaxLen = opts.replayMaxLen ?? 1000;
  const ttl = opts.ttlSeconds ?? 86_400;
  const lobbyIdWindow = opts.lobbyIdWindow ?? 10_000;
  const common = {
    lazyConnect: false,
    maxRetriesPerRequest: 1,
    commandTimeout: opts.commandTimeoutMs ?? 3000,
    // Reconnect quickly and forever; an outage must end by itself when Redis is back, and
    // every game committed meanwhile waits for this connection: at most 250 ms between
    // tries (a refused connect to a down Redis costs next to nothing).
    retryStrategy: (times: number) => Math.min(50 * times, 250),
    // A Redis back from a restart answers LOADING while it reads its data; ioredis would
    // wait its whole loading ETA (a second or more) before checking again.
    maxLoadingRetryTime: 100,
  };
  // A publish caught by a disconnect rejects rather than being re-sent on the next
  // connection (the relay retries it, the scripts dedup): a re-sent lobby publish would
  // miss the counter lift below.
  const pub = new Redis(opts.url, { ...common, connectionName: 'mt-bus-pub', autoResendUnfulfilledCommands: false });
  const sub = new Redis(opts.url, { ...common, connectionName: 'mt-bus-sub', autoResubscribe: true });
  // The number of keys is the call's first argument: three per game event of the run.
  pub.defineCommand('mtPublishGames', { lua: PUBLISH_GAMES_LUA });
  pub.defineCommand('mtPublishLobby', { numberOfKeys: 4, lua: PUBLISH_LOBBY_LUA });
  pub.defineCommand('mtReplay', { numberOfKeys: 2, lua: REPLAY_LUA });

  let lastWarn = 0;
  const onError = (err: Error) => {
    // ioredis reports every failed reconnect; keep the log readable during an outage.
    if (Date.now() - lastWarn > 5000) {
      lastWarn = Date.now();
      opts.log?.warn({ err: err.message }, 'redis bus connection error');
    }
  };
  pub.on('error', onError);
  sub.on('error', onError);

  /** Fail fast while disconnected instead of queueing: callers retry or report. */
  const ensureUp = (conn: Redis) => {
    if (closed) throw new Error('bus closed');
    if (conn.status === 'reconnecting' || conn.status === 'close' || conn.status === 'end') {
      throw new Error(`redis unavailable (${conn.status})`);
    }
  };

  const { addRaw, removeRaw, onResubscribe } = createRedisChannels(sub, () => ensureUp(sub), common.commandTimeout);

  const presence = createRedisPresence({ pub, keys, ttl, ensureUp: () => ensureUp(pub), heartbeatMs: opts.presenceHeartbeatMs, log: opts.log });
  const signOuts = createRedisSignOuts({
    pub, keys, ensureUp: () => ensureUp(pub),
    listen: async (channel, handler) => {
      await addRaw(channel, handler);
      return () => removeRaw(channel, handler);
    },
  });
  // Redis may have lost everything (restart without persistence): re-assert at once.
  pub.on('ready', () => presence.reassert());
  // Back after a disconnect, maybe on a new primary missing the last lobby seqs it gave
  // (replication is asynchronous): the next lobby publish tells the script the highest
  // seq this publisher was given, and a counter not above it is lifted (redis-scripts.ts).
  let liftLobby = false;
  let lobbyHigh = 0;
  let pubEverReady = false;
  pub.on('ready', () => {
    liftLobby = pubEverReady;
    pubEverReady = true;
  });

  let closed = false;

  /** A message on a topic's channel or replay stream that is not a valid BusEvent: dropped, and told. */
  const invalidListeners = new Set<InvalidEventListener>();
  const invalid = (topic: Topic, where: 'live' | 'replay') => {
    for (const l of [...invalidListeners]) l(topic, where);
  };

  /** Each game script's answer → what became of the event (redis-scripts.ts). */
  const gameResult = (r: number): PublishResult => (r === 1 ? 'published' : r === 0 ? 'duplicate' : r === -1 ? 'parked' : 'unanchored');

  /** One pipeline: game events through the ordering script, the lobby's through the one that numbers them. */
  const publish = async (events: readonly BusEvent[], floors?: ReadonlyMap<string, number>): Promise<PublishResult[]> => {
    ensureUp(pub);
    if (events.length === 0) return [];
    // A lobby publish decides on the counter lift when it is built: built while the
    // connection is still coming back (queued until 'ready'), it would miss the lift.
    if (pub.status !== 'ready' && events.some((e) => !isGameTopic(e.topic))) await whenReady(pub, common.commandTimeout);
    // A socket the server has already closed, before ioredis noticed: its commands would
    // wait in the offline queue and go out after the reconnect with the lift decided now.
    // Checked in the same tick as the pipeline is sent, so it cannot change in between.
    if ((pub as unknown as { stream?: { writable?: boolean } }).stream?.writable === false) {
      throw new Error('redis unavailable (connection closing)');
    }
    const p = pub.pipeline() as unknown as Record<string, (...a: unknown[]) => unknown> & { exec(): Promise<[Error | null, unknown][] | null> };
    const lifting = liftLobby;
    const lift = lifting ? String(lobbyHigh) : '0';
    // Each run of consecutive game events is one script call (however many games it
    // spans); a lobby event between two runs keeps its place in the order handed in.
    const calls: number[] = []; // events per pipeline command
    let run: BusEvent[] = [];
    const flushRun = () => {
      if (!run.length) return;
      const ks: string[] = [];
      const args: string[] = [String(replayMaxLen), String(ttl)];
      for (const e of run) {
        ks.push(keys.stream(e.topic), keys.last(e.topic), keys.parked(e.topic));
        args.push(keys.channel(e.topic), JSON.stringify(e), String(e.seq), String(floors?.get(e.topic) ?? 0));
      }
      p.mtPublishGames!(ks.length, ...ks, ...args);
      calls.push(run.length);
      run = [];
    };
    for (const e of events) {
      if (isGameTopic(e.topic)) {
        run.push(e);
        if (run.length >= MAX_RUN) flushRun();
        continue;
      }
      flushRun();
      const version = lobbyVersion(e);
      p.mtPublishLobby!(keys.stream(e.topic), keys.last(e.topic), keys.ids(e.topic), keys.lobbyVersion(version?.gameId ?? ''),
        keys.channel(e.topic), ...aroundSeq(e), String(e.seq), String(replayMaxLen), String(lobbyIdWindow), lift,
        version ? String(version.seq) : '', String(ttl));
      calls.push(1);
    }
    flushRun();
    const results = (await p.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
    if (results.length !== calls.length) throw new Error('redis publish incomplete');
    if (lifting && events.some((e) => !isGameTopic(e.topic))) liftLobby = false;
    // Game scripts answer 1/0/-1/-2 per event; the lobby's answers the seq it gave (a string) or 0.
    const answers: PublishResult[] = [];
    results.forEach(([, r], i) => {
      const first = events[answers.length]!;
      if (isGameTopic(first.topic)) {
        const each = r as number[];
        if (!Array.isArray(each) || each.length !== calls[i]) throw new Error('redis publish incomplete');
        for (const x of each) answers.push(gameResult(Number(x)));
      } else if (r === 0) {
        answers.push('duplicate');
      } else {
        lobbyHigh = Math.max(lobbyHigh, Number(r));
        answers.push('published');
      }
    });
    return answers;
  };

  const bus: Bus = {
    kind: 'redis',

    publish,

    async subscribe(topic, onEvent) {
      // Parsed and validated once here; the event keeps its JSON text (wire.ts) for the frames.
      const handler: RawHandler = (payload) => {
        const event = decodeBusEvent(payload);
        if (event && event.topic === topic) onEvent(event);
        else invalid(topic, 'live');
      };
      const channel = keys.channel(topic);
      await addRaw(channel, handler);
      return () => removeRaw(channel, handler);
    },

    async replay(topic, sinceSeq) {
      ensureUp(pub);
      const [entries, last] = (await (pub as unknown as ReplayCommand).mtReplay(keys.stream(topic), keys.last(topic), `${sinceSeq + 1}-0`));
      const events: BusEvent[] = [];
      for (const [, fields] of entries) {
        const idx = fields.indexOf('e');
        const event = idx < 0 ? null : decodeBusEvent(fields[idx + 1]!);
        if (event) events.push(event);
        else invalid(topic, 'replay'); // a foreign entry: skipped
      }
      const lastSeq = last === null ? null : Number(last);
      const first = events[0];
      if (first) return { events, complete: first.seq <= sinceSeq + 1, last: lastSeq };
      // Nothing after sinceSeq: complete if the game has not gone further, or when the
      // bus knows nothing about it (the caller checks existence separately).
      return { events, complete: lastSeq === null || lastSeq <= sinceSeq, last: lastSeq };
    },

    async lastSeq(topic) {
      ensureUp(pub);
      const v = await pub.get(keys.last(topic));
      return v === null ? null : Number(v);
    },

    async ping() {
      if (closed || pub.status !== 'ready' || sub.status !== 'ready') return false;
      try {
        return (await pub.ping()) === 'PONG';
      } catch {
        return false;
      }
    },

    onResubscribe(listener) {
      return onResubscribe(listener);
    },

    onInvalidEvent(listener) {
      invalidListeners.add(listener);
      return () => invalidListeners.delete(listener);
    },

    setPresence: (topic, count, players) => presence.set(topic, count, players),
    spectatorCount: (gameIdOrTopic) => presence.count(toGameTopic(gameIdOrTopic)),
    playerPresence: (gameIdOrTopic) => presence.players(toGameTopic(gameIdOrTopic)),
    presence: (gameIdOrTopic) => presence.both(toGameTopic(gameIdOrTopic)),
    standing: (gameIdOrTopic, playerIds) => presence.standing(toGameTopic(gameIdOrTopic), playerIds),
    setSeats: (gameIdOrTopic, seats) => presence.setSeats(toGameTopic(gameIdOrTopic), seats),
    signOut: (playerId, tokenVersion) => signOuts.signOut(playerId, tokenVersion),
    tokenFloors: (playerIds) => signOuts.tokenFloors(playerIds),
    onSignOut: (listener) => signOuts.onSignOut(listener),

    async onPresence(listener: PresenceListener) {
      const handler: RawHandler = (payload) => {
        if (isGameTopic(payload)) listener(payload as Topic);
      };
      await addRaw(keys.presenceChannel, handler);
      return () => removeRaw(keys.presenceChannel, handler);
    },

    async close() {
      if (closed) return;
      // Leave no counts behind: other replicas stop counting us at once.
      await presence.close();
      closed = true;
      await Promise.all(
        [pub, sub].map(async (c) => {
          if (c.status === 'ready') await c.quit().catch(() => c.disconnect());
          else c.disconnect();
        }),
      );
    },
  };
  return bus;
}
