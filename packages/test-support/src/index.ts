// What the tests of every workspace share (server, e2e, bench): one copy each.
export { requiredUnderCi, underCi } from './ci.js';
export { freePort, freeStablePort } from './net.js';
export { createTestDatabase, type TestDatabase } from './postgres.js';
export { RedisServer, redisPing, type RedisServerOptions } from './redis-server.js';
export {
  BOUNDARY_NUMBERS,
  contractViolation,
  fuzzOpenApi,
  requestArbitrary,
  type FuzzReport,
  type FuzzRequest,
  type FuzzResponse,
  type FuzzSeeds,
  type OpenApiDocument,
} from './openapi-fuzz.js';
