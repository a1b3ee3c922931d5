import { describe, expect, it } from 'vitest';
import { pgliteBackend } from '../helpers/db.js';
import { useReplicas } from '../helpers/replicas.js';
import { testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import { guest, type Res } from '../helpers/server.js';
import { localAllowance } from '../../src/http/rate-limit-store.js';

// Two game-server replicas sharing their rate-limit counts through a real Redis. The
// documented overshoot (docs/api.md, rate-limit-store.ts) is (N − 1) × L, L = 5 % of the
// limit and at least 1: with two replicas, 21 for a limit of 20 and 11 for 10.
const url = testRedisUrl();

describe.runIf(url)('rate limits across two replicas (Redis)', () => {
  const PLAYER = 20;
  const CREATE = 10;
  const t = useReplicas(pgliteBackend, {
    env: {
      REDIS_URL: url!,
      REDIS_KEY_PREFIX: uniquePrefix('rl-replicas'),
      RATE_LIMIT_PLAYER_PER_MIN: String(PLAYER),
      RATE_LIMIT_CREATE_PLAYER_PER_MIN: String(CREATE),
      CHAT_RATE_LIMIT_PER_10S: '5',
      CHAT_RATE_LIMIT_PER_MIN: '20',
    },
  });

  const expectLimited = (r: Res) => {
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('rate_limited');
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
  };

  it('a paced client alternating replicas gets no more than the per-player limit + the overshoot', async () => {
    const me = await guest(t.s1, 'paced');
    const statuses: number[] = [];
    for (let i = 0; i < 2 * PLAYER + 4; i++) {
      const r = await (i % 2 ? t.s2 : t.s1).req('GET', '/api/players/me', { token: me.token });
      if (r.status !== 200) expectLimited(r);
      statuses.push(r.status);
      await new Promise((res) => setTimeout(res, 100));
    }
    const passed = statuses.filter((s) => s === 200).length;
    expect(passed).toBeGreaterThanOrEqual(PLAYER);
    expect(passed).toBeLessThanOrEqual(PLAYER + localAllowance(PLAYER));
  });

  it('a burst of guest creations spread over both replicas passes at most the limit + the overshoot', async () => {
    const answers = await Promise.all(
      Array.from({ length: 2 * CREATE }, (_, i) =>
        (i % 2 ? t.s2 : t.s1).app.inject({ method: 'POST', url: '/api/players', payload: { name: `burst${i}` }, remoteAddress: '198.51.100.7' }),
      ),
    );
    const created = answers.filter((r) => r.statusCode === 201).length;
    for (const r of answers.filter((x) => x.statusCode !== 201)) expectLimited({ status: r.statusCode, body: r.json(), headers: r.headers });
    expect(created).toBeGreaterThanOrEqual(CREATE);
    expect(created).toBeLessThanOrEqual(CREATE + localAllowance(CREATE));
  });

  it('a chat flood of 40 lines in 2 s spread over both replicas posts at most the chat limit + the overshoot (issue 26)', async () => {
    const me = await guest(t.s1, 'flooder');
    const other = await guest(t.s1, 'listener');
    const c = await t.s1.req('POST', '/api/games', { token: me.token, body: { type: 'tictactoe', opponent: { kind: 'open' } } });
    await t.s2.req('POST', `/api/games/${c.body.game.id}/join`, { token: other.token, body: {} });
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 50));
        return (i % 2 ? t.s2 : t.s1).req('POST', `/api/games/${c.body.game.id}/chat`, { token: me.token, body: { text: `flood ${i}` } });
      }),
    );
    const posted = answers.filter((r) => r.status === 201).length;
    // The chat limit refuses first; past the ★ per-player limit (20 here) that one answers too.
    const refusals = answers.filter((x) => x.status !== 201);
    for (const r of refusals) {
      expect(r.status).toBe(429);
      expect(['chat_rate_limited', 'rate_limited']).toContain(r.body.error.code);
    }
    expect(refusals.filter((r) => r.body.error.code === 'chat_rate_limited').length).toBeGreaterThan(10);
    expect(posted).toBeGreaterThanOrEqual(5);
    expect(posted).toBeLessThanOrEqual(5 + localAllowance(5));
  });
});
