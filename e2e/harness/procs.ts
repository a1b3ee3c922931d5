// Child processes for browser tests: logged spawns, readiness polling and
// stopping by pid (only the processes this harness started).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Service {
  name: string;
  child: ChildProcess;
  logFile: string;
}

export function spawnService(name: string, cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logDir: string }): Service {
  mkdirSync(opts.logDir, { recursive: true });
  const logFile = path.join(opts.logDir, `${name}.log`);
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return { name, child, logFile };
}

export function tailLog(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Poll `check` until it is true; fail early with the log tail if the process exits. */
export async function waitReady(svc: Service, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (svc.child.exitCode !== null || svc.child.signalCode) {
      throw new Error(`${svc.name} exited (${svc.child.exitCode ?? svc.child.signalCode}) before it was ready:\n${tailLog(svc.logFile)}`);
    }
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${svc.name} not ready after ${timeoutMs} ms:\n${tailLog(svc.logFile)}`);
}

export const httpOk = (url: string, ok: (s: number) => boolean = (s) => s >= 200 && s < 300) => async () => {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return ok(res.status);
};

/** Signal one process and wait for it to exit; SIGKILL after `graceMs`. */
export async function stopService(svc: Service | null | undefined, signal: NodeJS.Signals = 'SIGTERM', graceMs = 8000): Promise<void> {
  if (!svc) return;
  const c = svc.child;
  if (c.exitCode !== null || c.signalCode) return;
  const exited = new Promise<void>((r) => c.once('exit', () => r()));
  c.kill(signal);
  const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
