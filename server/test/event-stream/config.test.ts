import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_SESSION_SECRET } from '../../src/config/index.js';
import { loadEventStreamConfig } from '../../src/event-stream/index.js';

describe('event-stream config', () => {
  it('defaults to port 8080 with the shared key prefix, blanks meaning unset', () => {
    const c = loadEventStreamConfig({ PORT: '', REDIS_URL: '' });
    expect(c.port).toBe(8080);
    expect(c.redisUrl).toBeUndefined();
    expect(c.redisKeyPrefix).toBe('mt:');
  });

  it('production refuses a missing, default or short SESSION_SECRET and a missing REDIS_URL', () => {
    const redis = { REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(() => loadEventStreamConfig({ NODE_ENV: 'production', ...redis })).toThrow(ConfigError);
    expect(() =>
      loadEventStreamConfig({ NODE_ENV: 'production', SESSION_SECRET: DEFAULT_SESSION_SECRET, ...redis }),
    ).toThrow(/SESSION_SECRET/);
    expect(() => loadEventStreamConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short', ...redis })).toThrow(/32/);
    expect(() => loadEventStreamConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) })).toThrow(/REDIS_URL/);
    const ok = loadEventStreamConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), ...redis });
    expect(ok.sessionSecret).toBe('x'.repeat(40));
  });

  it('names every invalid variable', () => {
    expect(() => loadEventStreamConfig({ PORT: 'eighty', WS_MAX_SUBSCRIPTIONS: '0' })).toThrow(/PORT[\s\S]*WS_MAX_SUBSCRIPTIONS/);
  });
});
