import { describe, it } from 'vitest';
import { createRedisBus } from '../../src/bus/index.js';
import { testRedisUrl, uniquePrefix } from '../bus/redis-server.js';
import { protocolSuite } from './protocol.js';

const url = testRedisUrl();
if (url) protocolSuite('redis', (o) => createRedisBus({ url, keyPrefix: uniquePrefix('es'), ttlSeconds: 300, ...o }));
else describe.skip('event-stream protocol over redis (TEST_REDIS_URL not set)', () => it('skipped', () => {}));
