import { describe, it } from 'vitest';
import { createRedisBus, type Bus } from '../../src/bus/index.js';
import { busContract } from './contract.js';
import { testRedisUrl, uniquePrefix } from './redis-server.js';

const url = testRedisUrl();
if (url) {
  const prefixes = new WeakMap<Bus, string>();
  busContract('redis', {
    make: (o) => {
      const keyPrefix = uniquePrefix('bus');
      const bus = createRedisBus({ url, keyPrefix, ttlSeconds: 300, ...o });
      prefixes.set(bus, keyPrefix);
      return bus;
    },
    peer: (b) => createRedisBus({ url, keyPrefix: prefixes.get(b)!, ttlSeconds: 300 }),
  });
} else {
  describe.skip('EventBus contract: redis (TEST_REDIS_URL not set)', () => it('skipped', () => {}));
}
