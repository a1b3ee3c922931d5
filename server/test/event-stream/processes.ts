import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@monkeytown/test-support';

const serverDir = fileURLToPath(new URL('../../', import.meta.url));

/** local = game-server and event-stream in one process (embedded PGlite, in-process bus). */
export type ServiceName = 'event-stream' | 'game-server' | 'local';

/**
 * The command that runs a service: the built bundle (server/dist/<name>.js, what CI
 * and production run) when it exists, else the TypeScript entry through tsx.
 */
export function serviceCommand(name: ServiceName): string[] {
  const dist = `${serverDir}dist/${name}.js`;
  // A bundle older than the sources would test yesterday's code: run the sources then.
  if (existsSync(dist) && statSync(dist).mtimeMs >= newestSource()) return [dist];
  return ['--import', 'tsx', `${serverDir}src/bin/${name}.ts`];
}

/**
 * NODE_OPTIONS of the server image (`ENV NODE_OPTIONS=...` in deploy/docker/Dockerfile.server):
 * services here start with the heap flags production starts them with, so the memory
 * bounds asserted below hold for the shipped image on whichever Node runs the tests.
 */
export function imageNodeOptions(): string {
  const dockerfile = path.join(serverDir, '../deploy/docker/Dockerfile.server');
  if (!existsSync(dockerfile)) return '';
  const m = /^ENV NODE_OPTIONS=(.+)$/m.exec(readFileSync(dockerfile, 'utf8'));
  return m ? m[1]!.replace(/^"|"$/g, '').trim() : '';
}

let newest: number | undefined;
function newestSource(): number {
  if (newest !== undefined) return newest;
  const walk = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return Math.max(max, walk(p));
      return /\.(ts|sql)$/.test(e.name) ? Math.max(max, statSync(p).mtimeMs) : max;
    }, 0);
  newest = Math.max(walk(`${serverDir}src`), walk(path.join(serverDir, '../packages/shared/src')));
  return newest;
}

/** A service process on a free port; its output is kept for failure messages. */
export class Service {
  private exited: Promise<number | null>;
  /** Set when the test stops or kills it: any other exit is a crash, and is told. */
  private stopping = false;
  readonly output: string[] = [];
  private constructor(
    readonly name: string,
    readonly proc: ChildProcess,
    readonly port: number,
    keepAll: boolean,
  ) {
    const keep = (d: Buffer) => {
      this.output.push(d.toString());
      if (this.output.length > 200 && !keepAll) this.output.shift();
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    this.exited = new Promise((r) => proc.once('exit', (code) => r(code)));
    // A replica that dies mid-test (a stray rejection: process/fatal.ts exits 70) shows
    // as refused or cut connections far from the cause: say so, with its last output.
    proc.once('exit', (code, signal) => {
      if (this.stopping || code === 0) return; // 0: a clean stop (a test's own SIGTERM)
      console.error(`[test] ${name} (pid ${proc.pid}, port ${port}) exited by itself: code ${code}, signal ${signal}; its last output:\n${this.output.join('').slice(-8000)}`);
    });
  }

  /** `keepAll`: keep every line of output (for tests that read the logs), not just the last 200 chunks. */
  static async start(name: ServiceName, env: Record<string, string>, port?: number, opts: { keepAll?: boolean; startTimeoutMs?: number } = {}): Promise<Service> {
    port ??= await freePort();
    const proc = spawn(process.execPath, serviceCommand(name), {
      cwd: serverDir,
      env: { ...process.env, NODE_OPTIONS: imageNodeOptions(), NODE_ENV: 'test', LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const svc = new Service(name, proc, port, opts.keepAll ?? false);
    await svc.waitLive(opts.startTimeoutMs);
    return svc;
  }

  get http(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get ws(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  private async waitLive(ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (!this.alive) throw new Error(`${this.name} exited during start:\n${this.output.join('')}`);
      try {
        if ((await fetch(`${this.http}/health/live`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${this.name} did not start:\n${this.output.join('')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A Prometheus sample of this service (NaN when absent). */
  async metric(name: string): Promise<number> {
    const text = await (await fetch(`${this.http}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line ? Number(line.trim().split(/\s+/).at(-1)) : NaN;
  }

  /** Resolves with the exit code once the process has exited (however it ended). */
  exit(): Promise<number | null> {
    return this.exited;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.alive) return;
    this.stopping = true;
    this.proc.kill(signal);
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it does not stop in time. */
  async stop(ms = 10_000): Promise<void> {
    if (!this.alive) return;
    this.stopping = true;
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), ms);
    await this.exited;
    clearTimeout(t);
  }
}
