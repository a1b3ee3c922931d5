import type { Redis } from 'ioredis';

/**
 * Resolves once `conn` is ready (at once when it is), rejects after `ms`. Commands sent
 * while a connection is (re)connecting sit in ioredis's offline queue, which is flushed
 * before the 'ready' listeners run; a caller that must act after them waits here.
 */
export function whenReady(conn: Redis, ms: number): Promise<void> {
  if (conn.status === 'ready') return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      conn.off('ready', onReady);
      reject(new Error(`redis unavailable (${conn.status})`));
    }, ms);
    conn.once('ready', onReady);
  });
}
