import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Topic } from '@monkeytown/shared';
import type { redisKeys } from './keys.js';

const HEARTBEAT_MS = 10_000;
const REPLICA_TTL_S = 30;

/**
 * Spectator counts across event-stream replicas. Each replica writes its own count per
 * game topic into a hash (field = replica id) and announces the topic on the presence
 * channel; a count is valid while the replica's heartbeat key (TTL 30 s, refreshed every
 * 10 s together with all its counts) lives, so a replica that dies silently drops out.
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
  let heartbeat: NodeJS.Timeout | undefined;

  const assertAll = async () => {
    o.ensureUp();
    const p = pub.pipeline().set(keys.replica(replicaId), '1', 'EX', REPLICA_TTL_S);
    for (const [topic, n] of local) p.hset(keys.presence(topic), replicaId, n).expire(keys.presence(topic), ttl);
    await p.exec();
  };

  return {
    /** After a reconnect: Redis may have restarted empty. */
    reassert(): void {
      if (heartbeat) void assertAll().catch(() => {});
    },

    async set(topic: Topic, count: number): Promise<void> {
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

    /** Remove this replica's counts and tell the others. */
    async close(): Promise<void> {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = undefined;
      if (local.size === 0 || pub.status !== 'ready') return;
      const p = pub.pipeline().del(keys.replica(replicaId));
      for (const topic of local.keys()) p.hdel(keys.presence(topic), replicaId).publish(keys.presenceChannel, topic);
      local.clear();
      await p.exec().catch(() => {});
    },
  };
}
