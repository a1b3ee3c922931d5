import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorStatuses, ROUTES, type ErrorCode, type RouteName } from '@monkeytown/shared';
import { pgliteBackend } from '../helpers/db.js';
import { guestWithId, useFreshServer } from '../helpers/server.js';
import { answered, hit, refused, ROUTE_NAMES, servedRoutes, type Probe } from './contract-probe.js';
import { scenarios } from './contract-scenarios.js';

/**
 * Issue 23: the route table (packages/shared/src/api) is the contract. Fastify serves
 * exactly its routes; each route's OpenAPI entry lists exactly the statuses of its declared
 * error codes; and real requests — the failures every route shares (schemas, token, body
 * parsing, an unknown id, the rate limit) and each route's own (a finished game, a stale
 * seq, an illegal move…) — answer only declared codes, while every declared code is
 * answered here or named below with why it is not.
 */

/** Declared codes no request here provokes, and why. */
const NOT_PROVOKED: Partial<Record<ErrorCode, string>> = {
  internal: 'a server fault: no request causes one (test/http/openapi-fuzz.test.ts sends 5,000 and expects no 5xx)',
  unavailable: 'the database (or, for a claim, the presence bus) down: test/db/blackhole.test.ts',
};
const NOT_PROVOKED_ON: Partial<Record<RouteName, Partial<Record<ErrorCode, string>>>> = {
  'players.me': { not_found: 'the guard answers 401 for a token whose player is gone, before the profile is read' },
  'players.rename': { not_found: 'only a guest renames, and the guard answers 401 for a token whose player is gone' },
  'games.create': { not_found: 'the chosen agent has no player row (the troop is seeded at start)' },
};

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
/** A body each route accepts, so a probe gets past validation to the guard or the handler. */
const SAMPLE_BODY: Partial<Record<RouteName, unknown>> = {
  'players.create': { name: 'Probe' },
  'players.rename': { name: 'Probe' },
  'games.create': { type: 'tictactoe', opponent: { kind: 'open' } },
  'games.move': { move: { cell: 0 }, expectedSeq: 0 },
  'games.chat': { text: 'hello' },
  'games.abort': { expectedSeq: 0 },
  'games.offer': { offer: 'draw', action: 'offer', expectedSeq: 0 },
  'games.claim': { outcome: 'win', expectedSeq: 0 },
  'games.report': { playerId: UNKNOWN },
  'moderation.resolve': { note: 'probe' },
};
/** The prober is a moderator (MODERATORS), so the moderators' routes get past their guard. */
const PROBER = randomUUID();

describe('the REST contract', () => {
  const t = useFreshServer(pgliteBackend, { env: { DISCONNECT_CLAIM_SECONDS: '0', CHAT_RATE_LIMIT_PER_10S: '3', CHAT_REPORTS_PER_HOUR: '2', MODERATORS: PROBER } });
  let token = '';
  beforeAll(async () => {
    token = (await guestWithId(t.s, PROBER, 'Prober')).token;
  });

  it('Fastify serves exactly the routes of the table under /api (the docs pages aside)', () => {
    const served = servedRoutes(t.s.app.printRoutes({ commonPrefix: false }))
      .filter((r) => r.includes(' /api/') && !r.includes(' /api/docs'));
    const declared = ROUTE_NAMES.map((n) => `${ROUTES[n].method} /api${ROUTES[n].path}`).sort();
    expect(served).toEqual(declared);
  });

  it('the OpenAPI document lists each route with its success status and exactly the statuses of its error codes', async () => {
    const doc = (await t.s.req('GET', '/api/docs/json')).body;
    for (const name of ROUTE_NAMES) {
      const r = ROUTES[name];
      const op = doc.paths[`/api${r.path.replace(/:(\w+)/g, '{$1}')}`]?.[r.method.toLowerCase()];
      expect(op, name).toBeDefined();
      const statuses = errorStatuses(r.errors);
      expect(Object.keys(op.responses).sort(), name).toEqual([String(r.response.status), ...[...statuses.keys()].map(String)].sort());
      for (const [status, codes] of statuses) expect(op.responses[status].description, `${name} ${status}`).toBe(codes.join(', '));
      expect(op.security !== undefined, `${name}: security`).toBe(r.auth);
      expect(op.requestBody !== undefined, `${name}: body`).toBe('body' in r);
    }
  });

  it.each(ROUTE_NAMES)('%s refuses bad params, query, headers, body and tokens with declared codes', async (name) => {
    const r = ROUTES[name];
    const params = 'params' in r ? { id: UNKNOWN } : undefined;
    const valid: Probe = { ...(params ? { params } : {}), ...(SAMPLE_BODY[name] ? { body: SAMPLE_BODY[name] } : {}) };
    if (r.auth) {
      await refused(t.s, name, valid, 'unauthorized');
      await refused(t.s, name, { ...valid, headers: { authorization: 'Bearer not.a.real.token' } }, 'unauthorized');
    }
    if (params) {
      await refused(t.s, name, { ...valid, token, params: { id: 'not-a-uuid' } }, 'validation_failed');
      await refused(t.s, name, { ...valid, token }, 'not_found');
    }
    if ('query' in r) await refused(t.s, name, { ...valid, token, query: { bogus: '1' } }, 'validation_failed');
    if ('headers' in r) await refused(t.s, name, { ...valid, token, headers: { 'idempotency-key': 'has spaces' } }, 'validation_failed');
    if ('body' in r) await refused(t.s, name, { ...valid, token, body: { bogus: 1 } }, 'validation_failed');
    if (r.method !== 'GET') {
      await refused(t.s, name, { ...valid, token, raw: '{"unfinished":', contentType: 'application/json' }, 'bad_request');
      await refused(t.s, name, { ...valid, token, raw: '<hello/>', contentType: 'application/xml' }, 'unsupported_media_type');
      const big = JSON.stringify({ text: 'x'.repeat(t.s.ctx.config.bodyLimit) });
      await refused(t.s, name, { ...valid, token, raw: big, contentType: 'application/json' }, 'payload_too_large');
    }
  });

  it('each route refuses what its own rules refuse, with declared codes', async () => {
    await scenarios(t.s, { token });
  });

  describe('under the per-IP limit', () => {
    const limited = useFreshServer(pgliteBackend, { env: { RATE_LIMIT_IP_PER_MIN: '1', RATE_LIMIT_CREATE_PLAYER_PER_MIN: '1' } });
    it('every route answers rate_limited', async () => {
      for (const name of ROUTE_NAMES) {
        await hit(limited.s, name, 'params' in ROUTES[name] ? { params: { id: UNKNOWN } } : {});
        await refused(limited.s, name, 'params' in ROUTES[name] ? { params: { id: UNKNOWN } } : {}, 'rate_limited');
      }
    });
  });

  it('every declared code was answered above, or is listed with why it is not (and a listed one is not answered)', () => {
    for (const name of ROUTE_NAMES) {
      const seen = answered.get(name)!;
      const excused = { ...NOT_PROVOKED, ...NOT_PROVOKED_ON[name] };
      const missing = ROUTES[name].errors.filter((c) => !seen.has(c) && !(c in excused));
      expect(missing, `${name}: declared but never answered here`).toEqual([]);
      const stale = Object.keys(excused).filter((c) => seen.has(c as ErrorCode) && (ROUTES[name].errors as readonly string[]).includes(c));
      expect(stale, `${name}: answered, yet listed as not provoked`).toEqual([]);
    }
  });
});
