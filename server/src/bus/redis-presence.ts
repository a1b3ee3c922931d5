import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Topic } from '@monkeytown/shared';
import type { redisKeys } from './keys.js';
import { orderPresence } from './player-presence.js';
import type { PlayerPresence } from './types.js';

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

  /** Queues this replica's player changes of a topic on `p`. */
  const setPlayers = (p: ReturnType<Redis['pipeline']>, topic: Topic, ids: readonly string[]) => {
    const now = Date.now();
    const before = localPlayers.get(topic) ?? new Map<string, number>();
    const after = new Map<string, number>();
    for (const id of ids) after.set(id, before.get(id) ?? now);
    for (const id of before.keys()) if (!after.has(id)) p.hdel(keys.players(topic), field(id)).hset(keys.seen(topic), id, now);
    for (const [id, since] of after) if (!before.has(id)) p.hset(keys.players(topic), field(id), since).hset(keys.seen(topic), id, now);
    p.expire(keys.players(topic), ttl).expire(keys.seen(topic), ttl);
    if (after.size) localPlayers.set(topic, after);
    else localPlayers.delete(topic);
  };

  return {
    /** After a reconnect: Redis may have restarted empty. */
    reassert(): void {
      if (heartbeat) void assertAll().catch(() => {});
    },

    async set(topic: Topic, count: number, players?: readonly string[]): Promise<void> {
      if (count > 0) local.set(topic, count);
      else local.delete(topic);
      if (!heartbeat) {
        heartbeat = setInterval(() => void assertAll().catch(() => {}), HEARTBEAT_MS);
        heartbeat.unref();
      }
      o.ensureUp();
      const p = pub.pipeline().set(keys.replica(replicaId), '1', 'EX', REPLICA_TTL_S);
      if (count > 0) p.hset(keys.presence(topic), replicaId, count).expire(keys.presence(topic), ttl);
      else p.hdel(keys.presence(topic), replicaId);
      if (players) setPlayers(p, topic, players);
      p.publish(keys.presenceChannel, topic);
      await p.exec();
    },

    async count(topic: Topic): Promise<number> {
      o.ensureUp();
      const all = await pub.hgetall(keys.presence(topic));
      const replicas = Object.keys(all);
      if (replicas.length === 0) return 0;
      const alive = await pub.mget(...replicas.map((r) => keys.replica(r)));
      let total = 0;
      const dead: string[] = [];
      replicas.forEach((r, i) => {
        if (alive[i] !== null) total += Number(all[r]) || 0;
        else dead.push(r);
      });
      // A replica that died without cleaning up: forget its counts.
      if (dead.length) await pub.hdel(keys.presence(topic), ...dead).catch(() => {});
      return total;
    },

    async players(topic: Topic): Promise<PlayerPresence[]> {
      o.ensureUp();
      const [here, seen] = await Promise.all([pub.hgetall(keys.players(topic)), pub.hgetall(keys.seen(topic))]);
      const fields = Object.keys(here);
      const replicas = [...new Set(fields.map((f) => f.split(' ')[0]!))];
      const alive = new Set<string>();
      if (replicas.length) {
        const up = await pub.mget(...replicas.map((r) => keys.replica(r)));
        replicas.forEach((r, i) => up[i] !== null && alive.add(r));
      }
      const online = new Map<string, number>();
      const dead: string[] = [];
      for (const f of fields) {
        const [replica, id] = f.split(' ') as [string, string];
        if (!alive.has(replica)) dead.push(f);
        else online.set(id, Math.min(online.get(id) ?? Infinity, Number(here[f])));
      }
      // A replica that died without cleaning up: its players are gone since their last heartbeat.
      if (dead.length) await pub.hdel(keys.players(topic), ...dead).catch(() => {});
      const out: PlayerPresence[] = [...online].map(([playerId, since]) => ({ playerId, online: true, since: new Date(since).toISOString() }));
      for (const [playerId, at] of Object.entries(seen)) {
        if (!online.has(playerId)) out.push({ playerId, online: false, since: new Date(Number(at)).toISOString() });
      }
      return orderPresence(out);
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
