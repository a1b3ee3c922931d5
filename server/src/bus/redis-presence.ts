import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Topic } from '@monkeytown/shared';
import type { redisKeys } from './keys.js';
import { listPresence, seatsFromText, seatsToText } from './player-presence.js';
import { perTick } from './per-tick.js';
import { createReplicaRegistry, DEFAULT_PRESENCE_HEARTBEAT_MS } from './redis-replicas.js';
import { PRESENCE_READ_LUA } from './presence-scripts.js';
import { PRESENCE_SET_LUA } from './redis-scripts.js';
import type { GamePresence, PlayerPresence, PlayerStanding, PresentPlayer, Seats } from './types.js';

/** The pipeline command defined from PRESENCE_SET_LUA. */
type PresenceSet = { mtPresenceSet(...args: string[]): unknown };
/** The pipeline command defined from PRESENCE_READ_LUA: three hashes as field/value lists, then the seats. */
type PresenceRead = { mtPresenceRead(presence: string, players: string, seen: string, seats: string): unknown };
type Pipeline = ReturnType<Redis['pipeline']>;

/** Everything a replica holds is re-written at least this often, so the keys' TTL never runs out under a long quiet game. */
const REASSERT_MAX_MS = 3_600_000;

/** A player's field value: "<ms online since> <newest token version>" (an older release wrote the ms only). */
const fieldValue = (since: number, tokenVersion: number) => `${since} ${tokenVersion}`;
const parseField = (v: string): { since: number; tokenVersion: number | null } => {
  const [since, version] = v.split(' ');
  return { since: Number(since), tokenVersion: version === undefined ? null : Number(version) };
};

/**
 * Where each player of a topic stands, from its hashes: online while some live replica
 * has a field for them (since the earliest, with the newest token version), else offline
 * since the latest of their last sighting and the last heartbeat of a dead replica that
 * still holds a field for them (not cleaned up yet).
 */
function standings(fields: Record<string, string>, seen: Record<string, string>, heartbeats: Record<string, string>, alive: Set<string>) {
  const online = new Map<string, { since: number; tokenVersion: number | null }>();
  const lastSeen = new Map<string, number>(Object.entries(seen).map(([id, ms]) => [id, Number(ms)]));
  for (const [f, v] of Object.entries(fields)) {
    const [replica, id] = f.split(' ') as [string, string];
    if (alive.has(replica)) {
      const { since, tokenVersion } = parseField(v);
      const was = online.get(id);
      const newest = was?.tokenVersion == null ? tokenVersion : tokenVersion === null ? was.tokenVersion : Math.max(was.tokenVersion, tokenVersion);
      online.set(id, { since: Math.min(was?.since ?? Infinity, since), tokenVersion: newest });
    } else if (heartbeats[replica] !== undefined) {
      // A replica that died and is not cleaned up yet: its players were last seen at its last heartbeat.
      lastSeen.set(id, Math.max(lastSeen.get(id) ?? 0, Number(heartbeats[replica])));
    }
  }
  const out = new Map<string, PlayerStanding>();
  for (const [playerId, p] of online) out.set(playerId, { playerId, online: true, since: new Date(p.since).toISOString(), tokenVersion: p.tokenVersion });
  for (const [playerId, at] of lastSeen) {
    if (!online.has(playerId)) out.set(playerId, { playerId, online: false, since: new Date(at).toISOString(), tokenVersion: null });
  }
  return out;
}

/** A hash as HGETALL answers inside a script (field, value, field, value …) → an object. */
function hash(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}

const replicasOf = (fields: Record<string, string>) => Object.keys(fields).map((f) => f.split(' ')[0]!);

/**
 * Spectator counts and player presence across event-stream replicas.
 *
 * Each replica writes its own count per game topic into `presence:<topic>` (field =
 * replica id) and its signed-in players into `presence-players:<topic>` ("<replica>
 * <player>" → since and token version), and announces the topic on the presence
 * channel. A player whose last stream on a replica closes gets `presence-seen:<topic>`
 * = now. A replica's fields count while it lives (bus/redis-replicas.ts: a liveness key
 * re-set every heartbeat; a dead replica is cleaned up by the others).
 *
 * Nothing here caps who is present: the list shown to clients is capped
 * (MAX_LISTED_PLAYERS, seats first), and `standing` answers for exact players.
 */
export function createRedisPresence(o: {
  pub: Redis;
  keys: ReturnType<typeof redisKeys>;
  ttl: number;
  ensureUp: () => void;
  heartbeatMs?: number | undefined;
  log?: { warn(obj: object, msg?: string): void } | undefined;
}) {
  const { pub, keys, ttl } = o;
  pub.defineCommand('mtPresenceSet', { numberOfKeys: 5, lua: PRESENCE_SET_LUA });
  pub.defineCommand('mtPresenceRead', { numberOfKeys: 4, lua: PRESENCE_READ_LUA });
  const replicaId = randomUUID();
  const local = new Map<Topic, number>();
  /** This replica's players per topic: since when (ms), and the newest token version among their sockets. */
  const localPlayers = new Map<Topic, Map<string, { since: number; tokenVersion: number }>>();
  /** The seats last read per topic this replica watches: written back if Redis lost them. */
  const seatsRead = new Map<Topic, string>();
  const reassertEvery = Math.min(REASSERT_MAX_MS, (ttl * 1000) / 4);
  /** When everything was last re-written (the keys' TTL starts again from there). */
  let lastAssert = Date.now();
  /** The seats set in one tick, in one pipeline (setSeats); the newest per topic wins. */
  const writeSeats = perTick<[Topic, string], void>(async (items) => {
    const p = pub.pipeline();
    for (const [t, text] of new Map(items)) p.set(keys.seats(t), text, 'EX', ttl).publish(keys.presenceChannel, t);
    const res = await p.exec();
    const failed = res?.find(([err]) => err);
    if (!res || failed) throw failed?.[0] ?? new Error('seats write aborted');
    return items.map(() => undefined);
  });

  /** Every count, player and topic of this replica, its liveness and its topics' seats, again; announced. */
  const assertAll = async () => {
    o.ensureUp();
    const now = Date.now();
    lastAssert = now;
    const p = replicas.mark(pub.pipeline());
    for (const topic of new Set([...local.keys(), ...localPlayers.keys()])) {
      const n = local.get(topic);
      if (n) p.hset(keys.presence(topic), replicaId, n).expire(keys.presence(topic), ttl);
      for (const [id, v] of localPlayers.get(topic) ?? []) p.hset(keys.players(topic), `${replicaId} ${id}`, fieldValue(v.since, v.tokenVersion));
      p.expire(keys.players(topic), ttl).expire(keys.seen(topic), ttl).sadd(keys.replicaTopics(replicaId), topic);
      const seats = seatsRead.get(topic);
      if (seats !== undefined) p.set(keys.seats(topic), seats, 'EX', ttl, 'NX');
      p.expire(keys.seats(topic), ttl).publish(keys.presenceChannel, topic);
    }
    p.expire(keys.replicaTopics(replicaId), ttl);
    await p.exec();
  };

  const replicas = createReplicaRegistry({
    pub, keys, replicaId, ttl, log: o.log,
    heartbeatMs: o.heartbeatMs ?? DEFAULT_PRESENCE_HEARTBEAT_MS,
    // Our liveness key had expired (others may have cleaned us up as dead), or the keys' TTL is due.
    onBeat: async (keyExisted) => {
      if (!keyExisted || Date.now() - lastAssert > reassertEvery) await assertAll();
    },
  });

  /** This replica's players of a topic are now `here`: who left, and who arrived or changed token version (with the field's value). */
  const diffPlayers = (topic: Topic, here: readonly PresentPlayer[], now: number) => {
    const before = localPlayers.get(topic) ?? new Map<string, { since: number; tokenVersion: number }>();
    const after = new Map<string, { since: number; tokenVersion: number }>();
    for (const { playerId, tokenVersion } of here) {
      const v = Math.max(tokenVersion, after.get(playerId)?.tokenVersion ?? 0);
      after.set(playerId, { since: before.get(playerId)?.since ?? now, tokenVersion: v });
    }
    const left = [...before.keys()].filter((id) => !after.has(id));
    const changed = [...after].filter(([id, v]) => before.get(id)?.tokenVersion !== v.tokenVersion);
    if (after.size) localPlayers.set(topic, after);
    else localPlayers.delete(topic);
    return { left, changed: changed.map(([id, v]) => [id, fieldValue(v.since, v.tokenVersion)] as const) };
  };

  /** The writes of one tick (each topic's count, players, and the announcement): one pipeline. */
  const write = perTick<{ topic: Topic; count: number; players: readonly PresentPlayer[] | undefined }, void>(async (writes) => {
    const p = replicas.mark(pub.pipeline()) as Pipeline & PresenceSet;
    const now = Date.now();
    for (const { topic, count, players } of writes) {
      const { left, changed } = players ? diffPlayers(topic, players, now) : { left: [], changed: [] };
      // One call per topic: the script also keeps the seats' TTL and the set of topics this
      // replica holds (what the others clean up if it dies).
      const holds = count > 0 || localPlayers.has(topic);
      p.mtPresenceSet(keys.presence(topic), keys.players(topic), keys.seen(topic), keys.seats(topic), keys.replicaTopics(replicaId),
        replicaId, String(count), String(ttl), keys.presenceChannel, topic, String(now), players ? '1' : '0', holds ? '1' : '0',
        String(left.length), ...left, ...changed.flat());
    }
    await p.exec();
    return writes.map(() => undefined);
  });

  /** The reads of one tick: the heartbeats, then each topic's hashes and seats (one script call each) in one pipeline, then one MGET of their replicas. */
  const read = perTick<Topic, GamePresence>(async (topics) => {
    const p = pub.pipeline().hgetall(keys.replicas) as Pipeline & PresenceRead;
    for (const t of topics) p.mtPresenceRead(keys.presence(t), keys.players(t), keys.seen(t), keys.seats(t));
    const res = await p.exec();
    const failed = res?.find(([err]) => err);
    if (!res || failed) throw failed?.[0] ?? new Error('presence read aborted');
    const heartbeats = res[0]![1] as Record<string, string>;
    const per = topics.map((_, i) => {
      const [counts, fields, seen, seats] = res[1 + i]![1] as [string[], string[], string[], string | null];
      return { counts: hash(counts), fields: hash(fields), seen: hash(seen), seats };
    });
    const alive = await replicas.alive(per.flatMap((t) => [...Object.keys(t.counts), ...replicasOf(t.fields)]));
    return topics.map((topic, i) => {
      const { counts, fields, seen, seats } = per[i]!;
      if (seats !== null && (local.has(topic) || localPlayers.has(topic))) seatsRead.set(topic, seats);
      let spectators = 0;
      for (const [r, n] of Object.entries(counts)) if (alive.has(r)) spectators += Number(n) || 0;
      const seated = seatsFromText(seats);
      const players = listPresence([...standings(fields, seen, heartbeats, alive).values()], seated);
      return { spectators, players, seats: seated };
    });
  });

  return {
    /** After a reconnect: Redis may have restarted empty. */
    reassert(): void {
      if (replicas.started) void assertAll().catch(() => {});
    },

    /** Written with every other topic's write of the same tick, in one pipeline. */
    async set(topic: Topic, count: number, players?: readonly PresentPlayer[]): Promise<void> {
      replicas.start();
      if (count > 0) local.set(topic, count);
      else local.delete(topic);
      if (count === 0 && !players?.length) seatsRead.delete(topic);
      o.ensureUp();
      await write({ topic, count, players });
    },

    /** Spectators only (the game-server's snapshots): the counts and their replicas' liveness, two round trips. */
    async count(topic: Topic): Promise<number> {
      o.ensureUp();
      const counts = await pub.hgetall(keys.presence(topic));
      const alive = await replicas.alive(Object.keys(counts));
      return Object.entries(counts).reduce((sum, [r, n]) => sum + (alive.has(r) ? Number(n) || 0 : 0), 0);
    },

    async players(topic: Topic): Promise<PlayerPresence[]> {
      o.ensureUp();
      return (await read(topic)).players;
    },

    /** count() and players() in two round trips, shared by every topic read in the same tick. */
    async both(topic: Topic): Promise<GamePresence> {
      o.ensureUp();
      return read(topic);
    },

    /**
     * Exactly these players: every field of the topic is read (not a capped list), so the
     * answer does not depend on who else watches. Two round trips.
     */
    async standing(topic: Topic, ids: readonly string[]): Promise<PlayerStanding[]> {
      o.ensureUp();
      const res = await pub.pipeline().hgetall(keys.replicas).hgetall(keys.players(topic)).hmget(keys.seen(topic), ...ids).exec();
      const failed = res?.find(([err]) => err);
      if (!res || failed) throw failed?.[0] ?? new Error('presence read aborted');
      const [heartbeats, all, seenList] = res.map(([, r]) => r) as [Record<string, string>, Record<string, string>, (string | null)[]];
      const wanted = new Set(ids);
      const fields = Object.fromEntries(Object.entries(all).filter(([f]) => wanted.has(f.slice(f.indexOf(' ') + 1))));
      const seen = Object.fromEntries(ids.flatMap((id, i) => (seenList[i] == null ? [] : [[id, seenList[i]!]])));
      const found = standings(fields, seen, heartbeats, await replicas.alive(replicasOf(fields)));
      return ids.flatMap((id) => found.get(id) ?? []);
    },

    /**
     * Seats set in one tick go out as ONE pipeline (perTick): a batch of creations
     * and joins seats every game of it at once, and a write (and a reply to wake for) per
     * game was a fifth of the game-server's Redis writes per move. Async: with Redis down
     * ensureUp's throw is a rejection, as the callers (fire and forget) expect, not a
     * throw into the batch that seated the game (its creation answered 500).
     */
    async setSeats(topic: Topic, seats: Seats): Promise<void> {
      o.ensureUp();
      return writeSeats([topic, seatsToText(seats)]);
    },

    /** Remove this replica's counts and players (last seen now), announce them, and leave the registry. */
    async close(): Promise<void> {
      if (!replicas.started || pub.status !== 'ready') return;
      const p = pub.pipeline();
      const now = Date.now();
      for (const topic of new Set([...local.keys(), ...localPlayers.keys()])) {
        p.hdel(keys.presence(topic), replicaId);
        for (const id of localPlayers.get(topic)?.keys() ?? []) p.hdel(keys.players(topic), `${replicaId} ${id}`).hset(keys.seen(topic), id, now);
        p.publish(keys.presenceChannel, topic);
      }
      replicas.stop(p);
      local.clear();
      localPlayers.clear();
      await p.exec().catch(() => {});
    },
  };
}
