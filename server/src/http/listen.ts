import { createServer, Server as NetServer, type ListenOptions, type Server, type Socket } from 'node:net';

/**
 * The accept queue of the game-server's and event-stream's listening sockets. Node's
 * default is 511; when more clients than that connect at once (thousands of players at a
 * start burst or after a redeploy), the kernel drops the rest and their connections fail
 * with resets and long SYN retries. The kernel caps the figure at net.core.somaxconn.
 */
export const LISTEN_BACKLOG = 4096;

/**
 * Listening sockets per port. libuv accepts ONE connection per listening socket per
 * event-loop iteration, so during a storm (4,000 players connecting at once) new
 * connections drained at the rate the loop iterated — one per 100–500 ms busy iteration.
 * With SO_REUSEPORT the kernel spreads the arriving connections over several sockets on
 * the same port, each with its own accept watcher: that many accepts per iteration
 * (docs/performance.md, *Connection storms*).
 */
export const LISTEN_SOCKETS = 8;

/** Node ≥ 22.12 / 23.1 on Linux: `reusePort` in listen() (older Node ignores it, and a second bind fails). */
export function reusePortSupported(version = process.versions.node, platform = process.platform): boolean {
  if (platform !== 'linux') return false; // elsewhere SO_REUSEPORT does not balance (or does not exist)
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

/** The port is held by another process (or another copy of this server is starting on it). */
export class PortInUseError extends Error {
  readonly code = 'EADDRINUSE';
  constructor(host: string, port: number, detail: string) {
    super(`port ${port} on ${host} is already in use (${detail}): is another server running on it?`);
    this.name = 'PortInUseError';
  }
}

export interface Listening {
  port: number;
  /** How many sockets listen on the port (1 where reusePort is unsupported). */
  sockets: number;
  /** Stop accepting on every socket; open connections stay (the server's close() ends them). */
  stop(): Promise<void>;
}

export interface ListenShared {
  port: number;
  host: string;
  /** Sockets on the port (default LISTEN_SOCKETS); 1 = a plain listen. */
  sockets?: number;
  /** For tests: pretend this Node has no reusePort. */
  reusePort?: boolean;
}

/** server.listen(opts) as a promise: rejects with the bind's error (EADDRINUSE, …). */
export const listenOn = (server: Server, opts: ListenOptions) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts, () => {
      server.off('error', reject);
      resolve();
    });
  });

const close = (server: Server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
const portOf = (server: Server) => {
  const a = server.address();
  return typeof a === 'object' && a ? a.port : 0;
};
/**
 * Count an accepted socket as the primary's (net.Server's own bookkeeping: `_connections`,
 * decremented on the socket's `_server` when it closes), so the primary's close() waits for
 * it as for its own: Fastify's close and a drain answer the requests in flight on every
 * socket of the port before the database goes.
 */
function adopt(primary: Server, from: Server, socket: Socket): void {
  type Counted = { _connections?: number };
  const p = primary as unknown as Counted;
  const f = from as unknown as Counted;
  const k = socket as unknown as { _server?: Server };
  if (typeof p._connections !== 'number' || typeof f._connections !== 'number' || k._server !== from) return;
  f._connections--;
  p._connections++;
  k._server = primary;
}

const inUse = (err: unknown) => (err as NodeJS.ErrnoException).code === 'EADDRINUSE';

/**
 * Listen on `port` with several SO_REUSEPORT sockets, the first being `primary` (an
 * http.Server, through `listen` so Fastify can do it its way); the others hand their
 * connections to it. SO_REUSEPORT would let a second copy of this server (or any process
 * of the same user with the option) silently share the port and half its traffic, so
 * first: the port is bound WITHOUT reuse (fails if anyone holds it), and while that holds
 * a per-port lock is taken (an abstract Unix socket, released by the kernel when the
 * process dies) so a copy starting in the same instant fails on the lock instead.
 */
export async function listenShared(
  primary: Server,
  listen: (opts: ListenOptions) => Promise<void>,
  o: ListenShared,
): Promise<Listening> {
  const n = o.sockets ?? LISTEN_SOCKETS;
  const plain = { host: o.host, backlog: LISTEN_BACKLOG };
  if (n <= 1 || !(o.reusePort ?? reusePortSupported())) {
    try {
      await listen({ ...plain, port: o.port });
    } catch (err) {
      throw inUse(err) ? new PortInUseError(o.host, o.port, (err as Error).message) : err;
    }
    return { port: portOf(primary), sockets: 1, stop: async () => void (primary.listening && NetServer.prototype.close.call(primary)) };
  }
  // Port 0 (tests): the probe picks the port; another process may take it before the
  // reuse sockets bind, so try again then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await listenReuse(primary, listen, o, n);
    } catch (err) {
      if (o.port !== 0 || attempt >= 3 || !(err instanceof PortInUseError)) throw err;
    }
  }
}

async function listenReuse(primary: Server, listen: (opts: ListenOptions) => Promise<void>, o: ListenShared, n: number): Promise<Listening> {
  const probe = createServer();
  try {
    await listenOn(probe, { host: o.host, port: o.port });
  } catch (err) {
    throw inUse(err) ? new PortInUseError(o.host, o.port, 'held by another process') : err;
  }
  const port = portOf(probe);
  const lock = createServer();
  try {
    await listenOn(lock, { path: `\0monkeytown-listen-${port}` });
  } catch (err) {
    await close(probe);
    throw inUse(err) ? new PortInUseError(o.host, port, 'another server is starting on it') : err;
  }
  lock.unref(); // held while listening, never what keeps the process alive
  await close(probe);
  const opts = { host: o.host, port, backlog: LISTEN_BACKLOG, reusePort: true } as ListenOptions;
  const extra: Server[] = [];
  try {
    await listen(opts);
    for (let i = 1; i < n; i++) {
      // What http.Server does with its own accepted sockets (noDelay is its default).
      const s = createServer({ noDelay: true }, (socket) => {
        adopt(primary, s, socket);
        primary.emit('connection', socket);
      });
      extra.push(s);
      await listenOn(s, opts);
    }
  } catch (err) {
    await Promise.all([...extra.map(close), close(lock)]);
    if (primary.listening) NetServer.prototype.close.call(primary);
    throw inUse(err) ? new PortInUseError(o.host, port, 'taken while binding') : err;
  }
  return {
    port,
    sockets: n,
    stop: async () => {
      // Not awaiting the primary's close callback: that fires only once every connection ended.
      if (primary.listening) NetServer.prototype.close.call(primary);
      await Promise.all([...extra.map(close), close(lock)]);
    },
  };
}
