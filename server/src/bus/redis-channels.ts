import type { Redis } from 'ioredis';
import type { ResubscribeListener } from './types.js';
import { whenReady } from './redis-ready.js';

export type RawHandler = (payload: string) => void;

/**
 * The subscriber connection's channels: one Redis SUBSCRIBE per channel per process,
 * however many handlers listen, and the listeners told when the subscriptions are
 * active again after a reconnect. `ensureUp` throws while the connection is down; a
 * SUBSCRIBE waits up to `readyTimeoutMs` for a connection still being set up.
 */
export function createRedisChannels(sub: Redis, ensureUp: () => void, readyTimeoutMs: number) {
  // channel → handlers. One Redis SUBSCRIBE per channel per process; operations on a
  // channel are serialised so subscribe/unsubscribe races cannot leave it wrong.
  const channels = new Map<string, Set<RawHandler>>();
  const chains = new Map<string, Promise<unknown>>();
  const serial = <T>(channel: string, fn: () => Promise<T>): Promise<T> => {
    const prev = chains.get(channel) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => {});
    chains.set(channel, tail);
    void tail.then(() => {
      if (chains.get(channel) === tail) chains.delete(channel);
    });
    return next;
  };

  sub.on('message', (channel: string, payload: string) => {
    const set = channels.get(channel);
    if (!set) return;
    for (const h of [...set]) {
      try {
        h(payload);
      } catch {
        // one subscriber's failure must not starve the others
      }
    }
  });

  const addRaw = (channel: string, handler: RawHandler) =>
    serial(channel, async () => {
      ensureUp();
      let set = channels.get(channel);
      if (set) {
        set.add(handler);
        return;
      }
      // Register before SUBSCRIBE completes so a message right behind the reply is kept.
      set = new Set([handler]);
      channels.set(channel, set);
      try {
        // Not before 'ready': ioredis writes a SUBSCRIBE as soon as the socket connects,
        // ahead of its ready check; the reply puts the connection in subscriber mode, the
        // check's INFO is then refused, and ioredis drops and reopens the connection —
        // every message published in between was lost to this subscriber (the bus
        // contract's "a: 50, b: 5" flake: b got the first publish, then nothing).
        if (sub.status !== 'ready') await whenReady(sub, readyTimeoutMs);
        await sub.subscribe(channel);
      } catch (err) {
        channels.delete(channel);
        throw err;
      }
    });

  const removeRaw = (channel: string, handler: RawHandler) =>
    serial(channel, async () => {
      const set = channels.get(channel);
      if (!set || !set.delete(handler) || set.size > 0) return;
      channels.delete(channel);
      if (sub.status === 'ready') await sub.unsubscribe(channel).catch(() => {});
    });

  // After a reconnect ioredis re-sends SUBSCRIBE itself, just after emitting 'ready';
  // subscribing again (idempotent) lets us know when they are active before telling
  // listeners to catch up on what they missed.
  const resubscribeListeners = new Set<ResubscribeListener>();
  let subEverReady = false;
  sub.on('ready', () => {
    if (!subEverReady) {
      subEverReady = true;
      return;
    }
    setImmediate(async () => {
      const names = [...channels.keys()];
      try {
        if (names.length) await sub.subscribe(...names);
      } catch {
        return; // dropped again; the next 'ready' retries
      }
      for (const l of [...resubscribeListeners]) l();
    });
  });

  const onResubscribe = (listener: ResubscribeListener): (() => void) => {
    resubscribeListeners.add(listener);
    return () => {
      resubscribeListeners.delete(listener);
    };
  };
  return { addRaw, removeRaw, onResubscribe };
}
