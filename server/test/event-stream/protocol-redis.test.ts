import { describe } from 'vitest';
import { createRedisBus } from '../../src/bus/index.js';
import { testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import { protocolSuite } from './protocol.js';

// Without TEST_REDIS_URL: skipped with a printed reason locally, a failure under CI=true.
const url = testRedisUrl();
describe.skipIf(!url)('over redis', () => {
  protocolSuite('redis', (o) => createRedisBus({ url: url!, keyPrefix: uniquePrefix('es'), ttlSeconds: 300, ...o }));
});
