import net from 'node:net';

/**
 * A TCP proxy in front of a real server that can be switched to a blackhole: the
 * database "stops answering" the way a network partition or a dead host does, not the
 * way a stopped server does (no RST, no FIN; the port still accepts, nothing ever comes
 * back).
 *
 *  - forwarding: new connections are piped to the target;
 *  - blackhole: new connections are accepted and never answered, and every connection
 *    opened before goes silent in both directions (its bytes are dropped, it is never
 *    closed by us). Those stay dead after the switch back, as connections across a
 *    partition do; only the client's own timers get rid of them.
 *
 * Closing a client side closes its upstream, so Postgres does not keep the backends.
 */
export class BlackholeProxy {
  private server: net.Server;
  private mode: 'forward' | 'blackhole' = 'forward';
  /** Bumped on every switch to blackhole: a pair opened in an older epoch is dead. */
  private epoch = 0;
  private sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => this.accept(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  blackhole(): void {
    this.mode = 'blackhole';
    this.epoch++;
  }

  forward(): void {
    this.mode = 'forward';
  }

  /** Connections the proxy holds open (client sides and upstreams). */
  get openSockets(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(s: net.Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => {});
  }

  private accept(client: net.Socket): void {
    this.track(client);
    if (this.mode === 'blackhole') {
      client.on('data', () => {}); // read and drop: the peer's writes succeed, nothing answers
      return;
    }
    const born = this.epoch;
    const alive = () => this.epoch === born;
    const upstream = net.connect(this.target.port, this.target.host);
    this.track(upstream);
    // Not pipe(): a dead pair must drop bytes, not buffer them for later.
    client.on('data', (b) => {
      if (alive()) upstream.write(b);
    });
    upstream.on('data', (b) => {
      if (alive()) client.write(b);
    });
    client.on('close', () => upstream.destroy());
    // The server ending a live connection is passed on; a dead pair hears nothing.
    upstream.on('close', () => {
      if (alive()) client.destroy();
    });
  }
}
