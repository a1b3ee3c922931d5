import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { pino, type Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { CloseCode, errorBody, WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '@monkeytown/shared';
import { TokenService, type TokenClaims } from '../auth/tokens.js';
import { createBus, type Bus } from '../bus/index.js';
import type { EventStreamConfig } from './config.js';
import { Connection, type ConnectionContext } from './connection.js';
import { Heartbeat } from './heartbeat.js';
import { Hub } from './hub.js';
import { createMetrics, type Metrics } from './metrics.js';
import { Presence } from './presence.js';
import { SignOuts } from './sign-outs.js';
import { closeSpread } from '../process/drain.js';
import { listenOn, listenShared } from '../http/listen.js';
import { answerClientError, endWithError, lacksHost, MISSING_HOST } from '../http/raw-error.js';

export interface StartEventStreamOptions {
  config: EventStreamConfig;
  /** Share a bus (embedded mode: the game-server's in-process bus). Not closed by close(). */
  bus?: Bus;
  /** Attach /ws to an existing HTTP server instead of listening; health/metrics are then the host's job. */
  server?: Server;
  logger?: Logger;
}

export interface EventStream {
  port: number;
  bus: Bus;
  metrics: Metrics;
  /**
   * The drain phase of a planned stop: /health/ready answers 503 at once, new sockets
   * are still accepted, and every socket (those arriving meanwhile too) is told to
   * reconnect (1012) at a moment spread over `ms`, so clients move to other replicas
   * gradually. Resolves when the window is over; close() follows.
   */
  drain(ms: number): Promise<void>;
  /** Close every socket with 1012 (restarting), stop listening, release the bus. */
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
};

const ignore = () => {};

/** The path of a request target (`/ws?x=1` → `/ws`); no URL object per upgrade. */
const pathOf = (target: string | undefined): string => {
  const t = target ?? '/';
  const q = t.indexOf('?');
  return q < 0 ? t : t.slice(0, q);
};

/** The token a client offered as a subprotocol (`monkeytown.token.<jwt>`), if any. */
export function tokenFromProtocols(header: string | undefined): string | null {
  for (const p of (header ?? '').split(',')) {
    const v = p.trim();
    if (v.startsWith(WS_TOKEN_PROTOCOL_PREFIX)) return v.slice(WS_TOKEN_PROTOCOL_PREFIX.length) || null;
  }
  return null;
}


/** Start the event-stream: WebSocket /ws plus /health/live, /health/ready, /metrics. */
export async function startEventStream(opts: StartEventStreamOptions): Promise<EventStream> {
  const { config } = opts;
  const log = opts.logger ?? pino({ level: config.logLevel, base: { service: 'event-stream' } });
  const ownBus = !opts.bus;
  const bus =
    opts.bus ??
    createBus({
      redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix, presenceHeartbeatMs: config.presenceHeartbeatMs,
      log: log.child({ component: 'bus' }),
    });
  const metrics = createMetrics();
  const hub = new Hub(bus, metrics, log);
  const presence = new Presence(bus, log);
  await presence.start();
  const signOuts = new SignOuts(bus, log);
  await signOuts.start();
  const tokens = new TokenService(config.sessionSecret, undefined, { previousSecret: config.previousSessionSecret });
  // Protocol pings, spread over the interval; also the list of this process's sockets (heartbeat.ts).
  const heartbeat = new Heartbeat<Connection>(config.heartbeatMs, {
    ping: (conn) => conn.ping(),
    dead: (conn) => {
      metrics.closes.inc({ code: String(CloseCode.timeout) });
      conn.terminate();
    },
  });
  const ctx: ConnectionContext = {
    bus, hub, presence, signOuts, metrics, limits: config.limits, heartbeatMs: config.heartbeatMs, log,
    closed: (conn) => heartbeat.remove(conn),
  };
  let closing = false;
  let draining = false;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.limits.maxPayloadBytes,
    perMessageDeflate: false,
    clientTracking: false,
    // Every socket is a Connection: one object per socket (connection.ts).
    WebSocket: Connection,
    // Answer with our protocol only: never echo the token protocol back.
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  // The 101 and the greeting leave in one write: corked as ws writes the 101, uncorked
  // after the greeting (one syscall per arrival instead of two; issue 28).
  wss.on('headers', (_headers: string[], req: IncomingMessage) => req.socket.cork());
  // A handshake ws refuses (no or bad Sec-WebSocket-Key, version, Upgrade header): ws
  // would answer in plain text; with a listener it leaves the answer to us. The method
  // is checked before (405), so what is left is a 400.
  wss.on('wsClientError', (err: Error, socket: Duplex) => {
    endWithError(socket, 'bad_request', `WebSocket handshake refused: ${err.message}`, { 'Sec-WebSocket-Version': '13' });
  });

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // Until ws takes the socket over (with its own error listener), an error must not throw.
    socket.on('error', ignore);
    try {
      await acceptUpgrade(req, socket, head);
    } catch (err) {
      // Whatever a client sends, the process stays up.
      log.warn({ err: (err as Error).message }, 'upgrade failed');
      socket.destroy();
    }
  }

  async function acceptUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const pathname = pathOf(req.url);
    if (pathname !== '/ws') {
      if (!opts.server) endWithError(socket, 'not_found', `no route ${pathname}`);
      return; // someone else's upgrade on a shared server
    }
    // Node checks neither for upgrades: the same answers as for any other request.
    if (lacksHost(req)) return endWithError(socket, 'bad_request', MISSING_HOST);
    if (req.method !== 'GET') return endWithError(socket, 'method_not_allowed', 'a WebSocket upgrade is a GET', { Allow: 'GET' });
    if (closing) return endWithError(socket, 'unavailable', 'shutting down: connect to another replica', { 'Retry-After': '1' });
    if (heartbeat.size >= config.limits.maxConnections) {
      return endWithError(socket, 'unavailable', 'too many connections on this replica', { 'Retry-After': '1' });
    }
    const token = tokenFromProtocols(req.headers['sec-websocket-protocol']);
    const claims = token ? await tokens.claims(token) : null;
    // A token its player signed out (on any replica) is as dead as an expired one.
    const signedOut = claims !== null && (await signOuts.refused(claims.playerId, claims.version));
    wss.handleUpgrade(req, socket, head, (conn) => {
      socket.off('error', ignore);
      try {
        greet(conn, token, claims, signedOut);
      } finally {
        socket.uncork();
      }
    });
  }

  /** A socket ws has just opened: refused (a dead token, told why) or greeted and kept. */
  function greet(conn: Connection, token: string | null, claims: TokenClaims | null, signedOut: boolean): void {
    if (token && (!claims || signedOut)) {
      // Tell the client why before closing, so it does not just reconnect in a loop.
      const message = signedOut ? 'this token was signed out' : 'invalid or expired token';
      conn.send(JSON.stringify({ type: 'error', code: 'unauthorized', message }));
      metrics.closes.inc({ code: String(CloseCode.policyViolation) });
      conn.close(CloseCode.policyViolation, signedOut ? 'token signed out' : 'invalid token');
      return;
    }
    heartbeat.add(conn);
    conn.start(claims?.playerId ?? null, claims?.version ?? 0, ctx);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (lacksHost(req)) {
        res.setHeader('connection', 'close');
        return json(res, 400, errorBody('bad_request', MISSING_HOST));
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        return json(res, 405, errorBody('method_not_allowed', `${req.method ?? ''} is not allowed (allowed: GET, HEAD)`));
      }
      if (path === '/health/live') return json(res, 200, { status: 'ok' });
      if (path === '/health/ready') {
        const up = !closing && !draining && (await bus.ping());
        return up
          ? json(res, 200, { status: 'ok', bus: bus.kind })
          : json(res, 503, { error: { code: 'unavailable', message: closing || draining ? 'shutting down' : 'event bus unreachable' } });
      }
      if (path === '/metrics') {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        return void res.end(await metrics.registry.metrics());
      }
      json(res, 404, { error: { code: 'not_found', message: `no route ${path}` } });
    } catch (err) {
      log.warn({ err: (err as Error).message, path }, 'request failed');
      if (!res.headersSent) json(res, 503, { error: { code: 'unavailable', message: 'try again' } });
    }
  }

  // Without requireHostHeader: false, Node answers a request with no Host itself (an
  // empty 400); onRequest answers it in the contract shape. Parser errors likewise.
  const server = opts.server ?? createServer({ requireHostHeader: false }, (req, res) => void onRequest(req, res));
  if (!opts.server) server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => void answerClientError(err, socket));
  const upgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void onUpgrade(req, socket, head);
  server.on('upgrade', upgradeListener);


  // Several SO_REUSEPORT sockets where Node has them, so a reconnect storm is accepted
  // many per loop iteration; refuses a port another process holds (http/listen.ts).
  const listening = opts.server
    ? null
    : await listenShared(server, (o) => listenOn(server, o), { port: config.port, host: config.host });
  const address = server.address();
  const port = listening?.port ?? (typeof address === 'object' && address ? address.port : config.port);
  log.info({ port, bus: bus.kind }, 'event-stream listening');

  return {
    port,
    bus,
    metrics,
    async drain(ms) {
      if (draining || closing) return;
      draining = true;
      log.info({ ms, sockets: heartbeat.size }, 'draining: not ready, spreading reconnects');
      const told = new WeakSet<Connection>();
      await closeSpread({
        ms,
        open: () => heartbeat.all().filter((c) => !told.has(c)),
        close: (conn) => {
          told.add(conn);
          conn.closeWith(CloseCode.restarting, 'restarting');
        },
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      heartbeat.stop();
      server.off('upgrade', upgradeListener);
      for (const conn of heartbeat.all()) conn.closeWith(CloseCode.restarting, 'restarting');
      const deadline = Date.now() + config.shutdownGraceMs;
      while (heartbeat.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const conn of heartbeat.all()) conn.terminate();
      wss.close();
      if (!opts.server) {
        await listening?.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      signOuts.close();
      await presence.close();
      await hub.close();
      if (ownBus) await bus.close();
      log.info('event-stream stopped');
    },
  };
}
