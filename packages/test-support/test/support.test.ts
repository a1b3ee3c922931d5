import fc from 'fast-check';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { contractViolation, createTestDatabase, freePort, RedisServer, redisPing, requestArbitrary, requiredUnderCi, type OpenApiDocument } from '../src/index.js';

describe('contractViolation', () => {
  it('accepts successes and table-consistent errors, refuses everything else', () => {
    expect(contractViolation({ status: 200, body: 'anything' })).toBeNull();
    expect(contractViolation({ status: 404, body: '{"error":{"code":"not_found","message":"x"}}' })).toBeNull();
    expect(contractViolation({ status: 500, body: '{"error":{"code":"internal","message":"x"}}' })).toMatch(/server fault/);
    expect(contractViolation({ status: 400, body: '{"error":"Bad Request","code":"FST_ERR_BAD_URL"}' })).toMatch(/off-contract/);
    expect(contractViolation({ status: 400, body: '' })).toMatch(/non-JSON/);
    expect(contractViolation({ status: 400, body: '{"error":{"code":"not_found","message":"x"}}' })).toMatch(/table says 404/);
    expect(contractViolation({ status: 418, body: '{"error":{"code":"teapot","message":"x"}}' })).toMatch(/off-contract/);
  });
});

describe('requestArbitrary', () => {
  it('reaches every operation and every parameter of the document', { timeout: 60_000 }, () => {
    const doc: OpenApiDocument = {
      paths: {
        '/api/a/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true }, { name: 'q', in: 'query', schema: { enum: ['x'] } }] } },
        '/api/b': { post: { requestBody: {} } },
      },
    };
    const reqs = fc.sample(requestArbitrary(doc, { pathValues: ['seed-id'] }), 400);
    expect(reqs.some((r) => r.url.startsWith('/api/a/seed-id'))).toBe(true);
    expect(reqs.some((r) => r.url.includes('q=x'))).toBe(true);
    expect(reqs.some((r) => r.method === 'POST' && r.url === '/api/b' && r.body === '{}')).toBe(true);
    expect(reqs.some((r) => /^\/api\/a\/[^/]*%(?![0-9A-F]{2})/.test(r.url))).toBe(true); // malformed escapes too
  });
});

describe('requiredUnderCi', () => {
  it('gives the value, skips locally, throws under CI', () => {
    expect(requiredUnderCi('X', 'x', { X: 'v' })).toBe('v');
    expect(requiredUnderCi('X', 'x', {})).toBeUndefined();
    expect(() => requiredUnderCi('X', 'x', { CI: 'true' })).toThrow(/CI=true/);
  });
});

describe('RedisServer', () => {
  it('starts on a free port, stops (an outage) and comes back on the same port', async () => {
    const r = await RedisServer.start();
    try {
      expect(await redisPing(r.port)).toBe(true);
      await r.stop();
      expect(await redisPing(r.port)).toBe(false);
      await r.start();
      expect(await redisPing(r.port)).toBe(true);
    } finally {
      await r.dispose();
    }
    expect(await redisPing(r.port)).toBe(false);
    expect(await freePort()).toBeGreaterThan(0);
  });
});

const pgUrl = requiredUnderCi('TEST_DATABASE_URL', 'the throwaway-database test');
describe.skipIf(!pgUrl)('createTestDatabase', () => {
  it('creates a database of its own and drops it', async () => {
    const db = await createTestDatabase(pgUrl!, 'mt_support');
    const c = new pg.Client({ connectionString: db.url });
    c.on('error', () => {}); // the FORCE drop below terminates it
    await c.connect();
    expect((await c.query('SELECT current_database() AS name')).rows[0].name).toMatch(/^mt_support_[0-9a-f]{12}$/);
    await db.drop(); // cuts the open connection (FORCE)
    await c.end().catch(() => {});
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [new URL(db.url).pathname.slice(1)]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });
});
