import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Topic } from '@monkeytown/shared';
import type { redisKeys } from './keys.js';
import { orderPresence } from './player-presence.js';
import { perTick } from './per-tick.js';
import { PRESENCE_SET_LUA } from './redis-scripts.js';
import type { PlayerPresence } from './types.js';

/** The pipeline command defined from PRESENCE_SET_LUA. */
type PresenceSet = { mtPresenceSet(...args: string[]): unknown };

const HEARTBEAT_MS = 10_000;
const REPLICA_TTL_S = 30;

/**
 * Spectator counts and player presence across event-stream replicas. Each replica
 * writes its own count per game topic into a hash (field = replica id) and announces
 * the topic on the presence channel; a count is valid while the replica's heartbeat key
 * (TTL 30 s, refreshed every 10 s together with all its counts) lives, so a replica that
 * dies silently drops out.
 *
 * Players the same way: `players:<topic>` holds "<replica> <player>" → since (ms) for
 * each signed-in player with a stream open on that replica, valid while the replica
 * lives; `seen:<topic>` holds player → last seen (ms), written when a player's last
 * stream on a replica closes and refreshed by every heartbeat, so a player of a replica
 * that died silently is "offline since its last heartbeat" (at most 10 s early).
 */
export function createRedisPresence(o: {
  pub: Redis;
  keys: ReturnType<typeof redisKeys>;
  ttl: number;
  ensureUp: () => void;
}) {
  const { pub, keys, ttl } = o;
  pub.defineCommand('mtPresenceSet', { numberOfKeys: 3, lua: PRESENCE_SET_LUA });
  const replicaId = randomUUID();
  const local = new Map<Topic, number>();
  /** This replica's players per topic, with the ms each arrived. */
  const localPlayers = new Map<Topic, Map<string, number>>();
  let heartbeat: NodeJS.Timeout | undefined;
  const field = (playerId: string) => `${replicaId} ${playerId}`;

  const assertAll = async () => {
    o.ensureUp();
    const now = Date.now();
    const p = pub.pipeline().set(keys.replica(replicaId), '1', 'EX', REPLICA_TTL_S);
    for (const [topic, n] of local) p.hset(keys.presence(topic), replicaId, n).expire(keys.presence(topic), ttl);
    for (const [topic, players] of localPlayers) {
      for (const [id, since] of players) p.hset(keys.players(topic), field(id), since).hset(keys.seen(topic), id, now);
      p.expire(keys.players(topic), ttl).expire(keys.seen(topic), ttl);
    }
    await p.exec();
  };

  /** This replica's players of a topic are now `ids`: who left, who arrived (with since), as of `now`. */
  const diffPlayers = (topic: Topic, ids: readonly string[], now: number) => {
    const before = localPlayers.get(topic) ?? new Map<string, number>();
    const after = new Map<string, number>();
    for (const id of ids) after.set(id, before.get(id) ?? now);
    const left = [...before.keys()].filter((id) => !after.has(id));
    const arrived = [...after].filter(([id]) => !before.has(id));
    if (after.size) localPlayers.set(topic, after);
    else localPlayers.delete(topic);
    return { left, arrived };
  };

  /** Queues this replica's player changes of a topic on `p` as plain commands (shutdown). */
  const setPlayers = (p: ReturnType<Redis['pipeline']>, topic: Topic, ids: readonly string[]) => {
    const now = Date.now();
    const { left, arrived } = diffPlayers(topic, ids, now);
    for (const id of left) p.hdel(keys.players(topic), field(id)).hset(keys.seen(topic), id, now);
    for (const [id, since] of arrived) p.hset(keys.players(topic), field(id), since).hset(keys.seen(topic), id, now);
    p.expire(keys.players(topic), ttl).expire(keys.seen(topic), ttl);
  };

  /**
   * The replicas among `ids` whose heartbeat key lives (one MGET). This replica is
   * alive by definition: when every field is its own (one replica, or games only its
   * sockets watch), no read at all.
   */
  const aliveOf = async (ids: string[]): Promise<Set<string>> => {
    const alive = new Set<string>(ids.includes(replicaId) ? [replicaId] : []);
    const others = ids.filter((r) => r !== replicaId);
    if (others.length) {
      const up = await pub.mget(...others.map((r) => keys.replica(r)));
      others.forEach((r, i) => up[i] !== null && alive.add(r));
    }
    return alive;
  };
  const replicasOf = (here: Record<string, string>) => [...new Set(Object.keys(here).map((f) => f.split(' ')[0]!))];
  /** Spectators of the live replicas; `dead`: fields of replicas that died without cleaning up. */
  const countOf = (all: Record<string, string>, alive: Set<string>) => {
    let total = 0;
    const dead: string[] = [];
    for (const [r, n] of Object.entries(all)) {
      if (alive.has(r)) total += Number(n) || 0;
      else dead.push(r);
    }
    return { total, dead };
  };
  /** Online players (on a live replica) and offline ones since their last sighting; `dead` as above. */
  const playersOf = (here: Record<string, string>, seen: Record<string, string>, alive: Set<string>) => {
    const online = new Map<string, number>();
    const dead: string[] = [];
    for (const [f, since] of Object.entries(here)) {
      const [replica, id] = f.split(' ') as [string, string];
      if (!alive.has(replica)) dead.push(f);
      else online.set(id, Math.min(online.get(id) ?? Infinity, Number(since)));
    }
    const out: PlayerPresence[] = [...online].map(([playerId, at]) => ({ playerId, online: true, since: new Date(at).toISOString() }));
    for (const [playerId, at] of Object.entries(seen)) {
      if (!online.has(playerId)) out.push({ playerId, online: false, since: new Date(Number(at)).toISOString() });
    }
    return { players: orderPresence(out), dead };
  };
  /** Drop the fields of replicas that died without cleaning up (their players are gone since their last heartbeat). */
  const forget = async (topic: Topic, counts: string[], players: string[]) => {
    if (!counts.length && !players.length) return;
    const p = pub.pipeline();
    if (counts.length) p.hdel(keys.presence(topic), ...counts);
    if (players.length) p.hdel(keys.players(topic), ...players);
    await p.exec().catch(() => {});
  };

  /** The writes of one tick (each topic's count, players, and the announcement): one pipeline. */
  const write = perTick<{ topic: Topic; count: number; players: readonly string[] | undefined }, void>(async (writes) => {
    const p = pub.pipeline().set(keys.replica(replicaId), '1', 'EX', REPLICA_TTL_S) as ReturnType<Redis['pipeline']> & PresenceSet;
    const now = Date.now();
    for (const { topic, count, players } of writes) {
      const { left, arrived } = players ? diffPlayers(topic, players, now) : { left: [], arrived: [] };
      p.mtPresenceSet(keys.presence(topic), keys.players(topic), keys.seen(topic),
        replicaId, String(count), String(ttl), keys.presenceChannel, topic, String(now), players ? '1' : '0',
        String(left.length), ...left, ...arrived.flatMap(([id, since]) => [id, String(since)]));
    }
    await p.exec();
    return writes.map(() => undefined);
  });

  /** The reads of one tick: every topic's three hashes in one pipeline, then one MGET of their replicas. */
  const read = perTick<Topic, { spectators: number; players: PlayerPresence[] }>(async (topics) => {
    const p = pub.pipeline();
    for (const t of topics) p.hgetall(keys.presence(t)).hgetall(keys.players(t)).hgetall(keys.seen(t));
    const res = await p.exec();
    const failed = res?.find(([err]) => err);
    if (!res || failed) throw failed?.[0] ?? new Error('presence read aborted');
    const hashes = res.map(([, r]) => r as Record<string, string>);
    const replicas = new Set<string>();
    topics.forEach((_, i) => {
      for (const r of Object.keys(hashes[3 * i]!)) replicas.add(r);
      for (const r of replicasOf(hashes[3 * i + 1]!)) replicas.add(r);
    });
    const alive = await aliveOf([...replicas]);
    return Promise.all(
      topics.map(async (topic, i) => {
        const counts = countOf(hashes[3 * i]!, alive);
        const list = playersOf(hashes[3 * i + 1]!, hashes[3 * i + 2]!, alive);
        await forget(topic, counts.dead, list.dead);
        return { spectators: counts.total, players: list.players };
      }),
    );
  });

  return {
    /** After a reconnect: Redis may have restarted empty. */
    reassert(): void {
      if (heartbeat) void assertAll().catch(() => {});
    },

    /** Written with every other topic's write of the same tick, in one pipeline. */
    async set(topic: Topic, count: number, players?: readonly string[]): Promise<void> {
      if (!heartbeat) {
        heartbeat = setInterval(() => void assertAll().catch(() => {}), HEARTBEAT_MS);
        heartbeat.unref();
      }
      if (count > 0) local.set(topic, count);
      else local.delete(topic);
      o.ensureUp();
      await write({ topic, count, players });
    },

    async count(topic: Topic): Promise<number> {
      o.ensureUp();
      const all = await pub.hgetall(keys.presence(topic));
      const counts = countOf(all, await aliveOf(Object.keys(all)));
      await forget(topic, counts.dead, []);
      return counts.total;
    },

    async players(topic: Topic): Promise<PlayerPresence[]> {
      o.ensureUp();
      const [here, seen] = await Promise.all([pub.hgetall(keys.players(topic)), pub.hgetall(keys.seen(topic))]);
      const list = playersOf(here, seen, await aliveOf(replicasOf(here)));
      await forget(topic, [], list.dead);
      return list.players;
    },

    /** count() and players() in two round trips (three hashes, then one MGET), shared by every topic read in the same tick. */
    async both(topic: Topic): Promise<{ spectators: number; players: PlayerPresence[] }> {
      o.ensureUp();
      return read(topic);
    },

    /** Remove this replica's counts and players and tell the others. */
    async close(): Promise<void> {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = undefined;
      if ((local.size === 0 && localPlayers.size === 0) || pub.status !== 'ready') return;
      const p = pub.pipeline().del(keys.replica(replicaId));
      for (const topic of new Set([...local.keys(), ...localPlayers.keys()])) {
        p.hdel(keys.presence(topic), replicaId);
        if (localPlayers.has(topic)) setPlayers(p, topic, []);
        p.publish(keys.presenceChannel, topic);
      }
      local.clear();
      await p.exec().catch(() => {});
    },
  };
}
