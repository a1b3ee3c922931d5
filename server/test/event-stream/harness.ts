import WebSocket from 'ws';
import { ServerMessage, wsProtocols } from '@monkeytown/shared';
import type { Bus } from '../../src/bus/index.js';
import { loadEventStreamConfig, startEventStream, type EventStream, type EventStreamConfig } from '../../src/event-stream/index.js';
import { Service } from './processes.js';

export type Msg = ServerMessage;

/** An event-stream on an ephemeral port over the given bus. */
export async function startTestStream(
  bus: Bus,
  env: Record<string, string> = {},
): Promise<{ es: EventStream; url: string; http: string; config: EventStreamConfig }> {
  const config = loadEventStreamConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    WS_UNKNOWN_TOPIC_GRACE_MS: '300',
    SHUTDOWN_GRACE_MS: '1000',
    ...env,
  });
  const es = await startEventStream({ config, bus });
  return { es, url: `ws://127.0.0.1:${es.port}/ws`, http: `http://127.0.0.1:${es.port}`, config };
}

/**
 * Two game-servers and two event-streams, each its own process, on one Postgres database
 * and one Redis: the replicas of the cross-process suites. Rate limits are lifted (one
 * address makes every player); `gs` and `es` add a suite's own settings. `esEnv` is what
 * the event-streams got, for a suite that starts another one like them.
 */
export async function startReplicas(o: {
  databaseUrl: string;
  redisUrl: string;
  gs?: Record<string, string>;
  es?: Record<string, string>;
}): Promise<{ gsA: Service; gsB: Service; esA: Service; esB: Service; esEnv: Record<string, string> }> {
  const gsEnv = {
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: o.redisUrl,
    RATE_LIMIT_IP_PER_MIN: '100000',
    RATE_LIMIT_PLAYER_PER_MIN: '100000',
    RATE_LIMIT_CREATE_PLAYER_PER_MIN: '100000',
    CHAT_RATE_LIMIT_PER_10S: '100000',
    CHAT_RATE_LIMIT_PER_MIN: '100000',
    CHAT_REPORTS_PER_HOUR: '100000',
    SHUTDOWN_GRACE_MS: '1000',
    ...o.gs,
  };
  const esEnv = { REDIS_URL: o.redisUrl, SHUTDOWN_GRACE_MS: '500', ...o.es };
  const [gsA, gsB, esA, esB] = await Promise.all([
    Service.start('game-server', gsEnv),
    Service.start('game-server', gsEnv),
    Service.start('event-stream', esEnv),
    Service.start('event-stream', esEnv),
  ]);
  return { gsA, gsB, esA, esB, esEnv };
}

export type Api = { status: number; body: any };

/** A REST call to a game-server (`base` is its http origin); a body that is not JSON stays text. */
export async function api(base: string, method: string, path: string, o: { token?: string; body?: unknown } = {}): Promise<Api> {
  const headers: Record<string, string> = {};
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}/api${path}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw protocol client that records every server message (validated) for assertions. */
export class TestClient {
  readonly messages: Msg[] = [];
  readonly invalid: unknown[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const parsed = ServerMessage.safeParse(JSON.parse(data.toString()));
      if (parsed.success) this.messages.push(parsed.data);
      else this.invalid.push(data.toString());
      this.wake();
    });
    ws.on('error', () => {});
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      }),
    );
  }

  /** Connect; a token signs in through Sec-WebSocket-Protocol, as the typed client does. */
  static async connect(url: string, token?: string): Promise<TestClient> {
    const ws = new WebSocket(url, wsProtocols(token));
    const c = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await c.next((m) => m.type === 'hello');
    return c;
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** Seqs of `event` messages on a topic, in arrival order. */
  seqs(topic: string): number[] {
    return this.messages.flatMap((m) => (m.type === 'event' && m.topic === topic ? [m.seq] : []));
  }

  of<T extends Msg['type']>(type: T): Extract<Msg, { type: T }>[] {
    return this.messages.filter((m): m is Extract<Msg, { type: T }> => m.type === type);
  }

  /** The first message (from the start) matching pred; waits for it. */
  async next(pred: (m: Msg) => boolean, ms = 5000): Promise<Msg> {
    return this.waitFor(() => this.messages.find(pred), ms, 'message');
  }

  async waitFor<T>(get: () => T | undefined | false, ms = 5000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = get();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(this.messages.slice(-3)).slice(0, 600)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

export const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
