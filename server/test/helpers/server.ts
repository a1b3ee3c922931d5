import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { BusEvent } from '@monkeytown/shared';
import { loadConfig, type Config } from '../../src/config/index.js';
import { startGameServer, type GameServer, type StartOptions } from '../../src/game-server/start.js';
import type { Db } from '../../src/db/index.js';
import type { EventBus, PublishResult } from '../../src/bus/types.js';
import { createMemoryBus } from '../../src/bus/memory.js';
import type { Backend, TestDb } from './db.js';
import { createGuest } from '../../src/players/identity.js';

/** Test configuration: silent logs, instant agents, generous limits, ephemeral port. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    AI_THINK_DELAY: '0',
    // Commits wake the relay and the AI runner directly; the loops are only the fallback.
    AI_SWEEP_MS: '1000',
    OUTBOX_POLL_MS: '200',
    RATE_LIMIT_IP_PER_MIN: '100000',
    RATE_LIMIT_PLAYER_PER_MIN: '100000',
    RATE_LIMIT_CREATE_PLAYER_PER_MIN: '100000',
    CHAT_RATE_LIMIT_PER_10S: '100000',
    CHAT_RATE_LIMIT_PER_MIN: '100000',
    CHAT_REPORTS_PER_HOUR: '100000',
    METRICS: 'true',
    // Reviews only when a test asks for one (GET /review) or turns REVIEW_AUTO on: every
    // finished game of every suite reviewed in a worker would load the shared machine.
    REVIEW_AUTO: 'false',
    REVIEW_SWEEP_MS: '200',
    ...env,
  });
}

/**
 * The in-process bus (bus/memory.ts: the same ordering and dedup as Redis's), recording
 * what it really put out, in order: an event handed in twice (the committing replica and
 * the relay racing it) or ahead of its predecessor is recorded once, where it went out.
 * `failing` makes publish reject, as an unreachable Redis does. Subscribe and replay stay
 * inert: the servers under test only publish.
 */
export class RecordingBus implements EventBus {
  events: BusEvent[] = [];
  failing = false;
  private readonly inner = createMemoryBus();
  /** Topic → the recording subscription (every publish awaits its topics' first). */
  private readonly recording = new Map<string, Promise<unknown>>();

  async publish(events: readonly BusEvent[], floors?: ReadonlyMap<string, number>): Promise<PublishResult[]> {
    if (this.failing) throw new Error('bus down');
    for (const topic of new Set(events.map((e) => e.topic))) {
      if (!this.recording.has(topic)) this.recording.set(topic, this.inner.subscribe(topic, (e) => this.events.push(e)));
      await this.recording.get(topic);
    }
    return this.inner.publish(events, floors);
  }
  async subscribe(): Promise<() => Promise<void>> {
    return async () => {};
  }
  async replay() {
    return { events: [], complete: false };
  }
  async ping() {
    return !this.failing;
  }
  async close() {}
}

export interface TestServer extends GameServer {
  bus: RecordingBus | EventBus;
  /** JSON request through app.inject (no sockets). */
  req(method: string, url: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string }): Promise<Res>;
}

export interface Res {
  status: number;
  body: any;
  headers: LightMyRequestResponse['headers'];
}

export interface TestServerOptions {
  env?: Record<string, string>;
  bus?: EventBus;
  listen?: boolean;
  /** PGlite's outbox vacuum period (StartOptions.outboxVacuumMs). */
  outboxVacuumMs?: number;
}

export async function startTestServer(db: Db, opts: TestServerOptions = {}): Promise<TestServer> {
  const bus = opts.bus ?? new RecordingBus();
  const start: StartOptions = {
    config: testConfig(opts.env), db, bus, listen: opts.listen ?? false,
    ...(opts.outboxVacuumMs !== undefined ? { outboxVacuumMs: opts.outboxVacuumMs } : {}),
  };
  const server = await startGameServer(start);
  const req: TestServer['req'] = async (method, url, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let payload: string | undefined;
    if (o.raw !== undefined) payload = o.raw;
    else if (o.body !== undefined) {
      payload = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const r = await server.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
    let body: unknown = r.body;
    try {
      body = r.json();
    } catch {
      // not JSON
    }
    return { status: r.statusCode, body, headers: r.headers };
  };
  return { ...server, bus, req };
}

export interface FreshServer {
  readonly tdb: TestDb;
  readonly s: TestServer;
}

/**
 * One fresh database and one test server for the enclosing describe: created in its
 * beforeAll, closed (server, then database) in its afterAll. Call inside the describe;
 * read the handle's fields in hooks and tests (the getters throw before beforeAll ran).
 * A suite's own beforeAll registered after this call runs after the server started.
 */
export function useFreshServer(backend: Backend, opts: TestServerOptions = {}): FreshServer {
  let tdb: TestDb | undefined;
  let s: TestServer | undefined;
  beforeAll(async () => {
    tdb = await backend.create();
    s = await startTestServer(tdb.db, opts);
  });
  afterAll(async () => {
    await s?.close();
    await tdb?.drop();
  });
  return {
    get tdb() {
      if (!tdb) throw new Error('useFreshServer: the database is created in beforeAll; read tdb in a hook or test');
      return tdb;
    },
    get s() {
      if (!s) throw new Error('useFreshServer: the server starts in beforeAll; read s in a hook or test');
      return s;
    },
  };
}

/** A guest: {id, token}. */
export async function guest(s: TestServer, name = 'Tester'): Promise<{ id: string; token: string }> {
  const r = await s.req('POST', '/api/players', { body: { name } });
  if (r.status !== 201) throw new Error(`create player: ${r.status} ${JSON.stringify(r.body)}`);
  return { id: r.body.player.id, token: r.body.token };
}

/**
 * A guest with an id chosen beforehand (e.g. one the suite named in MODERATORS): created as
 * POST /players creates one, with a token the server signs.
 */
export async function guestWithId(s: TestServer, id: string, name: string): Promise<{ id: string; token: string }> {
  await createGuest(s.ctx.db, id, name);
  return { id, token: await s.ctx.tokens.sign(id) };
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
