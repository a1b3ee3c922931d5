import { spawn } from 'node:child_process';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { Agent } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listenOn, listenShared, PortInUseError, reusePortSupported, type Listening } from '../../src/http/listen.js';

const started: { server: Server; listening: Listening }[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) {
    await s.listening.stop();
    s.server.closeAllConnections();
  }
});

/** An http.Server answering every request after `delayMs`, listening through listenShared. */
async function serve(port: number, sockets?: number, delayMs = 0, reusePort?: boolean) {
  const server = createServer((_req, res) => setTimeout(() => res.end('ok'), delayMs));
  const listening = await listenShared(server, (o) => listenOn(server, o), { port, host: '127.0.0.1', sockets, reusePort });
  started.push({ server, listening });
  return { server, listening };
}

const get = (port: number, agent: Agent) =>
  new Promise<string>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/', agent }, (res: IncomingMessage) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    }).on('error', reject).end();
  });

describe('listening on a port (http/listen.ts)', () => {
  it('knows which Node has reusePort: 22.12+, 23.1+, 24 on Linux', () => {
    expect(reusePortSupported('20.20.2', 'linux')).toBe(false);
    expect(reusePortSupported('22.11.0', 'linux')).toBe(false);
    expect(reusePortSupported('22.12.0', 'linux')).toBe(true);
    expect(reusePortSupported('23.0.0', 'linux')).toBe(false);
    expect(reusePortSupported('23.1.0', 'linux')).toBe(true);
    expect(reusePortSupported('24.11.1', 'linux')).toBe(true);
    expect(reusePortSupported('24.11.1', 'darwin')).toBe(false);
  });

  it('a second server on the port of a running one refuses to start, saying the port is in use; the first keeps answering', async () => {
    const first = await serve(0);
    const err = await serve(first.listening.port).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortInUseError);
    expect((err as Error).message).toMatch(new RegExp(`port ${first.listening.port} on 127.0.0.1 is already in use`));
    const agent = new Agent({ keepAlive: false });
    expect(await get(first.listening.port, agent)).toBe('ok');
  });

  it('refuses a port another process holds', async () => {
    const holder = spawn(process.execPath, ['-e', "require('net').createServer().listen(0,'127.0.0.1',function(){console.log(this.address().port)})"], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const port = await new Promise<number>((resolve) => holder.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
      await expect(serve(port)).rejects.toThrow(/already in use/);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('falls back to one socket where reusePort is not there', async () => {
    const { listening } = await serve(0, 8, 0, false);
    expect(listening.sockets).toBe(1);
    expect(await get(listening.port, new Agent({ keepAlive: false }))).toBe('ok');
  });

  // The several-sockets path needs Node ≥ 22.12 (the images' Node 24, CI's main pass); on
  // an older Node (CI's Node 20 pass) the same case runs on the one-socket fallback and says so.
  it('8 sockets share the port (one where reusePort is not there), every connection is answered, and close() waits for requests in flight on any of them', async () => {
    const { server, listening } = await serve(0, 8, 300);
    const expected = reusePortSupported() ? 8 : 1;
    if (expected === 1) console.log(`listen.test: Node ${process.versions.node} has no reusePort: checking the one-socket fallback`);
    expect(listening.sockets).toBe(expected);
    const agent = new Agent({ keepAlive: false, maxSockets: 64 });
    let answered = 0;
    const answers = Array.from({ length: 64 }, () => get(listening.port, agent).then((b) => (answered++, b)));
    await new Promise((r) => setTimeout(r, 100)); // all 64 accepted, each request waiting
    // Every connection counts as the server's, whichever socket accepted it.
    expect(await new Promise((r) => server.getConnections((_e, n) => r(n)))).toBe(64);
    await listening.stop();
    const answeredAtClose = new Promise<number>((resolve) => server.close(() => resolve(answered)));
    expect(await Promise.all(answers)).toEqual(Array(64).fill('ok'));
    expect(await answeredAtClose).toBe(64);
    // A second copy is refused while it listens with SO_REUSEPORT, too.
    const again = await serve(0, 8);
    await expect(serve(again.listening.port, 8)).rejects.toThrow(PortInUseError);
  });
});
