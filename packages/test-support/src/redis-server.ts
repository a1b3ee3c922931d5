import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freeStablePort } from './net.js';

/** PING over a raw socket: true when a Redis answers on the port. */
export function redisPing(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    const done = (ok: boolean) => {
      resolve(ok);
      s.destroy();
    };
    s.setTimeout(1000, () => done(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => done(d.toString().startsWith('+PONG')));
    s.on('error', () => done(false));
  });
}

/** The pid of the Redis answering on the port (INFO server), or null. */
export function redisPid(port: number, host = '127.0.0.1'): Promise<number | null> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    let text = '';
    const done = (pid: number | null) => {
      resolve(pid);
      s.destroy();
    };
    s.setTimeout(1000, () => done(null));
    s.on('connect', () => s.write('INFO server\r\n'));
    s.on('data', (d) => {
      text += d.toString();
      const m = /process_id:(\d+)/.exec(text);
      if (m) done(Number(m[1]));
    });
    s.on('error', () => done(null));
  });
}

export interface RedisServerOptions {
  /** redis-server binary (default: from PATH). */
  bin?: string;
  /** Where redis writes its log (default: discarded). */
  logFile?: string;
  /**
   * Keep the data across a restart, as a managed Redis does: an append-only file in the
   * server's own directory (fsync every second; SHUTDOWN writes the rest). Default: no
   * persistence, so a restart loses everything (the harsher case for the bus).
   */
  persistent?: boolean;
}

/**
 * A private redis-server on a free loopback port outside the ephemeral range (no other
 * suite's freePort() or outgoing connection can take it while it is down): for tests
 * that stop and restart Redis or need one of their own (the shared one on 6379 is never
 * touched). A restart keeps the port; it loses the data unless the server was started
 * `persistent`.
 */
export class RedisServer {
  private proc: ChildProcess | undefined;
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'mt-redis-'));

  private constructor(
    readonly port: number,
    private readonly opts: RedisServerOptions,
  ) {}

  static async start(opts: RedisServerOptions = {}): Promise<RedisServer> {
    // The port stays this server's across restarts (freeStablePort); another suite that
    // took it between the check and the bind makes redis-server exit: try another.
    for (let attempt = 1; ; attempt++) {
      const r = new RedisServer(await freeStablePort(), opts);
      try {
        await r.start();
        return r;
      } catch (err) {
        await r.dispose();
        if (attempt >= 5) throw err;
      }
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The running server's pid (undefined while stopped). */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** (Re)start on the same port and wait until it answers PING. */
  async start(timeoutMs = 10_000): Promise<void> {
    const persistence = this.opts.persistent ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'];
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', this.dir];
    if (this.opts.logFile) args.push('--logfile', this.opts.logFile);
    const proc = spawn(this.opts.bin ?? 'redis-server', args, { stdio: 'ignore' });
    this.proc = proc;
    const failed = new Promise<never>((_, reject) => {
      proc.once('error', reject);
      proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it answered`)));
    });
    failed.catch(() => {});
    const deadline = Date.now() + timeoutMs;
    // Ours answering, not another suite's Redis that got the port first (ours then exits).
    while ((await Promise.race([redisPid(this.port), failed])) !== proc.pid) {
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not answer in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGKILL (an outage, not a shutdown); start() brings it back on the same port. */
  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  /**
   * SHUTDOWN over the protocol (a clean stop, as an operator's restart or a managed
   * Redis's maintenance does: a persistent server writes its data first), and wait for
   * the process to exit; SIGKILL if it has not after `timeoutMs`. start() brings it back.
   */
  async shutdown(timeoutMs = 10_000): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    const s = net.connect(this.port, '127.0.0.1');
    s.on('connect', () => s.write('SHUTDOWN\r\n'));
    s.on('error', () => {}); // the server closes the connection as it exits
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(t);
    s.destroy();
  }

  /** Stop for good and remove its working directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
