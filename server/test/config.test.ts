import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_SESSION_SECRET, loadConfig } from '../src/config/index.js';
import { DEFAULT_POOL_SETTINGS, pgPoolOptions } from '../src/db/pool-settings.js';

describe('config', () => {
  it('has embedded defaults: port 3001, PGlite under ./.data, no Redis, CORS off', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3001);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir.endsWith('.data')).toBe(true);
    expect(c.redisUrl).toBeUndefined();
    expect(c.corsOrigin).toBeUndefined();
    expect(c.trustProxy).toBe(false);
    expect(c.bodyLimit).toBe(16 * 1024);
  });

  it('pool hygiene: documented defaults, every setting from the environment, junk refused (issue 25)', () => {
    expect(loadConfig({}).databasePool).toEqual(DEFAULT_POOL_SETTINGS);
    expect(DEFAULT_POOL_SETTINGS.queryTimeoutMs).toBe(DEFAULT_POOL_SETTINGS.statementTimeoutMs + 1000);
    const c = loadConfig({
      DATABASE_CONNECT_TIMEOUT_MS: '1500',
      DATABASE_STATEMENT_TIMEOUT_MS: '2000',
      DATABASE_IDLE_TIMEOUT_MS: '20000',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '7000',
      DATABASE_KEEPALIVE_MS: '5000',
      DATABASE_MAX_LIFETIME_SECONDS: '600',
    }).databasePool;
    // The query timeout follows the statement timeout unless set.
    expect(c).toEqual({
      connectTimeoutMs: 1500, statementTimeoutMs: 2000, queryTimeoutMs: 3000, idleTimeoutMs: 20_000,
      idleInTransactionTimeoutMs: 7000, keepAliveMs: 5000, maxLifetimeSeconds: 600,
    });
    expect(loadConfig({ DATABASE_QUERY_TIMEOUT_MS: '9000' }).databasePool.queryTimeoutMs).toBe(9000);
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '5000', DATABASE_QUERY_TIMEOUT_MS: '4000' })).toThrow(/DATABASE_QUERY_TIMEOUT_MS/);
    expect(() => loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: 'soon' })).toThrow(/DATABASE_CONNECT_TIMEOUT_MS/);
    expect(() => loadConfig({ DATABASE_MAX_LIFETIME_SECONDS: '0' })).toThrow(ConfigError);
    // What node-postgres is given (the real-Postgres half is test/db/blackhole.test.ts).
    expect(pgPoolOptions(c)).toEqual({
      connectionTimeoutMillis: 1500, statement_timeout: 2000, query_timeout: 3000, idleTimeoutMillis: 20_000,
      idle_in_transaction_session_timeout: 7000, keepAlive: true, keepAliveInitialDelayMillis: 5000, maxLifetimeSeconds: 600,
    });
  });

  it('checks responses against their schemas under NODE_ENV=test only, unless RESPONSE_CHECK says otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).responseCheck).toBe(true);
    expect(loadConfig({}).responseCheck).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development', RESPONSE_CHECK: 'true' }).responseCheck).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', RESPONSE_CHECK: 'false' }).responseCheck).toBe(false);
  });

  it('production refuses a missing, default or short SESSION_SECRET', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: DEFAULT_SESSION_SECRET })).toThrow(/SESSION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' })).toThrow(/32/);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) }).sessionSecret).toBe('x'.repeat(40));
    // Rotation: the previous secret is held to the same standard; TOKEN_TTL_DAYS is capped at 90.
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), SESSION_SECRET_PREVIOUS: 'short' })).toThrow(/SESSION_SECRET_PREVIOUS/);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), SESSION_SECRET_PREVIOUS: 'y'.repeat(40) }).previousSessionSecret).toBe('y'.repeat(40));
    expect(() => loadConfig({ TOKEN_TTL_DAYS: '365' })).toThrow(/TOKEN_TTL_DAYS/);
  });

  it('parses URLs, trustProxy forms and CORS lists; rejects junk', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/monkeytown', REDIS_URL: 'redis://cache:6379', TRUST_PROXY: '10.0.0.10',
      CORS_ORIGIN: 'https://a.example, https://b.example',
    });
    expect(c.databaseUrl).toBe('postgres://u:p@db:5432/monkeytown');
    expect(c.trustProxy).toEqual(['10.0.0.10']);
    // A hop count trusts nobody in Fastify 5: refused at start rather than silently wrong.
    expect(() => loadConfig({ TRUST_PROXY: '1' })).toThrow(/TRUST_PROXY.*hop count/);
    expect(c.corsOrigin).toEqual(['https://a.example', 'https://b.example']);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
  });
});
