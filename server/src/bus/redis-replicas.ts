import type { Redis } from 'ioredis';
import type { redisKeys } from './keys.js';
import { PRESENCE_FORGET_REPLICA_LUA, PRESENCE_REAP_TOPIC_LUA } from './presence-scripts.js';

type Pipeline = ReturnType<Redis['pipeline']>;
type ReapCommands = {
  mtPresenceReapTopic(...args: string[]): Promise<unknown>;
  mtPresenceForgetReplica(...args: string[]): Promise<unknown>;
};

/** The default heartbeat of an event-stream replica's presence (WS_PRESENCE_HEARTBEAT_MS). */
export const DEFAULT_PRESENCE_HEARTBEAT_MS = 5000;
/**
 * A replica is dead this many heartbeats after its last one: it may miss two (a long GC
 * pause, a busy event loop on a loaded machine) before its players are taken offline.
 */
export const HEARTBEATS_TO_DEATH = 3;
/** Topics of a dead replica cleaned per pipeline (each a script over that topic's players). */
const REAP_BATCH = 200;
/** How long one replica may take to clean up after a dead one before another may try. */
const REAP_LOCK_MS = 60_000;

/**
 * The event-stream replicas that hold presence, and what happens when one dies.
 *
 * Each replica keeps a liveness key `replica:<id>` (TTL: HEARTBEATS_TO_DEATH heartbeats)
 * and its last heartbeat time in the hash `presence-replicas`, re-set every heartbeat:
 * three writes per heartbeat, however many games and players it has. On every heartbeat
 * it also reads that hash and the others' liveness keys; a replica whose key expired is
 * cleaned up by the first replica to notice (a lock makes it one): its counts and player
 * fields are removed topic by topic (`presence-topics:<id>` lists its topics), its
 * players are last seen at its last heartbeat, and each topic is announced, so every
 * replica shows them offline at once. Readers do not wait for that: a field of a replica
 * whose key is gone is read as offline from the moment the key expires.
 *
 * Bounds (heartbeat H, the dead replica's): its players are offline for readers (the
 * claim) at most 3·H after its last heartbeat, and shown offline on every replica's
 * sockets at most 3·H + H' after it (H': the noticing replica's heartbeat), last seen at
 * its last heartbeat (at most H before it died).
 */
export function createReplicaRegistry(o: {
  pub: Redis;
  keys: ReturnType<typeof redisKeys>;
  replicaId: string;
  heartbeatMs: number;
  /** TTL (s) of the topic keys: the replica's topic set lives as long. */
  ttl: number;
  /**
   * After each heartbeat's write; `keyExisted` false: our liveness key had expired (a
   * stall longer than 3 heartbeats, or Redis lost its data) and others may have cleaned
   * us up as dead: the caller writes everything it holds again.
   */
  onBeat: (keyExisted: boolean) => Promise<void>;
  log?: { warn(obj: object, msg?: string): void } | undefined;
}) {
  const { pub, keys, replicaId } = o;
  pub.defineCommand('mtPresenceReapTopic', { numberOfKeys: 4, lua: PRESENCE_REAP_TOPIC_LUA });
  pub.defineCommand('mtPresenceForgetReplica', { numberOfKeys: 3, lua: PRESENCE_FORGET_REPLICA_LUA });
  const ttlMs = o.heartbeatMs * HEARTBEATS_TO_DEATH;
  let timer: NodeJS.Timeout | undefined;

  /** Queue "this replica lives" on a pipeline (every presence write carries it too). */
  const mark = (p: Pipeline): Pipeline =>
    p.set(keys.replica(replicaId), '1', 'PX', ttlMs).hset(keys.replicas, replicaId, Date.now())
      .expire(keys.replicaTopics(replicaId), o.ttl);

  /** The replicas among `ids` whose liveness key exists (one MGET); this one is alive by definition. */
  const alive = async (ids: Iterable<string>): Promise<Set<string>> => {
    const all = [...new Set(ids)];
    const live = new Set<string>(all.includes(replicaId) ? [replicaId] : []);
    const others = all.filter((r) => r !== replicaId);
    if (others.length) {
      const up = await pub.mget(...others.map((r) => keys.replica(r)));
      others.forEach((r, i) => up[i] !== null && live.add(r));
    }
    return live;
  };

  /** Clean up after a dead replica (if no other replica is doing it). */
  const reap = async (dead: string, lastHeartbeat: string): Promise<void> => {
    const mine = await pub.set(keys.reapLock(dead), replicaId, 'PX', REAP_LOCK_MS, 'NX');
    if (mine !== 'OK') return;
    try {
      const topics = await pub.smembers(keys.replicaTopics(dead));
      for (let i = 0; i < topics.length; i += REAP_BATCH) {
        const p = pub.pipeline() as Pipeline & ReapCommands;
        for (const t of topics.slice(i, i + REAP_BATCH)) {
          void p.mtPresenceReapTopic(keys.presence(t), keys.players(t), keys.seen(t), keys.replica(dead),
            dead, lastHeartbeat, keys.presenceChannel, t);
        }
        await p.exec();
      }
      await (pub as Redis & ReapCommands).mtPresenceForgetReplica(keys.replica(dead), keys.replicas, keys.replicaTopics(dead), dead);
    } finally {
      await pub.del(keys.reapLock(dead)).catch(() => {});
    }
  };

  const beat = async (): Promise<void> => {
    const p = pub.pipeline().exists(keys.replica(replicaId));
    mark(p).hgetall(keys.replicas);
    const res = await p.exec();
    const failed = res?.find(([err]) => err);
    if (!res || failed) throw failed?.[0] ?? new Error('heartbeat aborted');
    const existed = res[0]![1] === 1;
    const replicas = res.at(-1)![1] as Record<string, string>;
    await o.onBeat(existed);
    const live = await alive(Object.keys(replicas));
    for (const [id, last] of Object.entries(replicas)) {
      if (!live.has(id)) await reap(id, last);
    }
  };

  return {
    ttlMs,
    mark,
    alive,

    /** Start the heartbeat (idempotent): from the first presence write on. */
    start(): void {
      if (timer) return;
      timer = setInterval(() => {
        void beat().catch((err: Error) => o.log?.warn({ err: err.message }, 'presence heartbeat failed'));
      }, o.heartbeatMs);
      timer.unref();
    },

    get started(): boolean {
      return timer !== undefined;
    },

    /** A clean stop: queue "this replica is gone" (the caller has removed its presence). */
    stop(p: Pipeline): void {
      clearInterval(timer);
      timer = undefined;
      p.del(keys.replica(replicaId)).hdel(keys.replicas, replicaId).del(keys.replicaTopics(replicaId));
    },
  };
}
