// Server processes under measurement: spawned from server/dist/*.js (never in the load
// generator's process), with CPU time and memory read from /proc/<pid>.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tail } from '../../scripts/stack/procs.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_DIR = path.join(REPO_ROOT, 'bench/results');
const CLK_TCK = 100; // getconf CLK_TCK on Linux x86-64

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** CPU seconds (user+system) and memory of one process, from /proc. */
export function procStats(pid: number): { cpuSec: number; rssMiB: number; hwmMiB: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSec = (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime, stime (fields 14, 15)
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { cpuSec, rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

export type IoCounts = NonNullable<ReturnType<typeof procIo>>;

/** Read/write system calls and bytes of one process so far (/proc/<pid>/io: sockets included; sendmsg/recvmsg are not), its system CPU seconds and voluntary context switches. */
export function procIo(pid: number): { syscr: number; syscw: number; rchar: number; wchar: number; stime: number; switches: number } | null {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const n = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(io)?.[1] ?? NaN);
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const stime = Number(f.slice(f.lastIndexOf(')') + 2).split(' ')[12]) / CLK_TCK;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const switches = Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
    return { syscr: n('syscr'), syscw: n('syscw'), rchar: n('rchar'), wchar: n('wchar'), stime, switches };
  } catch {
    return null;
  }
}

export interface ServerProc {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  startedAt: number;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
const killAll = () => {
  for (const c of live) if (c.exitCode === null) try { c.kill('SIGKILL'); } catch { /* gone */ }
};
process.on('exit', killAll);
// Ctrl-C or a timeout must not leave servers behind (signals skip 'exit' handlers).
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    killAll();
    process.exit(130);
  });
}

/** Start `node <script>` (or any command) with env; output goes to a log file under bench/results/logs. */
export function startProc(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd = REPO_ROOT): ServerProc {
  const logDir = path.join(RESULTS_DIR, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'w');
  const startedAt = performance.now();
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.on('error', () => {});
  live.add(child);
  child.on('exit', () => live.delete(child));
  return {
    name, pid: child.pid!, child, logFile, startedAt,
    async stop() {
      if (child.exitCode !== null || child.signalCode) return;
      // Our own child (never a pid looked up by name): SIGTERM, SIGKILL after 15 s.
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Poll an HTTP URL until 200 (every `everyMs`), failing early if the process dies. */
export async function waitReady(p: ServerProc, url: string, timeoutMs = 60_000, everyMs = 20): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null || p.child.signalCode) {
      throw new Error(`${p.name} exited during start:\n${tail(p.logFile, 20)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - p.startedAt;
    } catch { /* not listening yet */ }
    await sleep(everyMs);
  }
  throw new Error(`${p.name} not ready after ${timeoutMs} ms:\n${tail(p.logFile, 20)}`);
}

/**
 * Samples CPU and RSS of some processes during one measured phase: CPU seconds used in
 * the phase, the peak RSS seen by sampling, and VmHWM (lifetime peak) at the end.
 */
export class ProcSampler {
  private readonly start = new Map<string, number>();
  private readonly startIo = new Map<string, ReturnType<typeof procIo>>();
  private readonly peak = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly procs: { name: string; pid: number }[], private readonly everyMs = 250) {}

  begin(): void {
    for (const p of this.procs) {
      const s = procStats(p.pid);
      this.start.set(p.name, s?.cpuSec ?? NaN);
      this.startIo.set(p.name, procIo(p.pid));
      this.peak.set(p.name, s?.rssMiB ?? 0);
    }
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
  }

  private sample(): void {
    for (const p of this.procs) {
      const s = procStats(p.pid);
      if (s) this.peak.set(p.name, Math.max(this.peak.get(p.name) ?? 0, s.rssMiB));
    }
  }

  end(): Record<string, { cpuSec: number; peakRssMiB: number; hwmMiB: number; backends?: number; xacts?: number; io?: IoCounts }> {
    clearInterval(this.timer);
    this.sample();
    const out: Record<string, { cpuSec: number; peakRssMiB: number; hwmMiB: number; backends?: number; xacts?: number; io?: IoCounts }> = {};
    for (const p of this.procs) {
      const s = procStats(p.pid);
      const [a, b] = [this.startIo.get(p.name), procIo(p.pid)];
      out[p.name] = {
        cpuSec: (s?.cpuSec ?? NaN) - (this.start.get(p.name) ?? NaN),
        peakRssMiB: this.peak.get(p.name) ?? NaN,
        hwmMiB: s?.hwmMiB ?? NaN,
        ...(a && b ? { io: { syscr: b.syscr - a.syscr, syscw: b.syscw - a.syscw, rchar: b.rchar - a.rchar, wchar: b.wchar - a.wchar, stime: b.stime - a.stime, switches: b.switches - a.switches } } : {}),
      };
    }
    return out;
  }
}

/** The load generator's own CPU (user+system seconds) over a phase. */
export function clientCpu(): () => number {
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  };
}

export function distDir(): string {
  return process.env.BENCH_DIST ? path.resolve(process.env.BENCH_DIST) : path.join(REPO_ROOT, 'server/dist');
}

export function requireDist(): string {
  const d = distDir();
  for (const f of ['game-server.js', 'event-stream.js', 'local.js']) {
    if (!existsSync(path.join(d, f))) throw new Error(`missing ${path.join(d, f)}: run \`npm run build\` first`);
  }
  return d;
}
