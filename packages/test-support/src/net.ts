import net from 'node:net';

/** A free TCP port on loopback (bind to 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A free loopback port BELOW the kernel's ephemeral range (32768–60999 on Linux), for a
 * server that a test stops and starts again on the same port. A port from freePort() is
 * an ephemeral one: while such a server is down, the kernel may hand the same port to
 * another suite's freePort() (its own Redis, a service) or to an outgoing connection, and
 * the clients of the stopped server then reconnect to a stranger — in CI, a suite's
 * private Redis once answered another suite's clients, and a CLIENT KILL or a restart
 * there cut subscribers that were never told. Ports here are picked at random, so two
 * suites asking at once rarely collide, and a collision is a bind error the caller
 * retries, never a shared server.
 */
export async function freeStablePort(low = 20_000, high = 32_000): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = low + Math.floor(Math.random() * (high - low));
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.unref();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${low}–${high}`);
}
