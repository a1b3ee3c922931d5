// Process plumbing for the local stack: free ports, detached children with log files,
// health polling, and stopping by pid (only pids this stack recorded, and only while
// /proc says they are still the program we started: pids get reused).
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, existsSync } from 'node:fs';
import net from 'node:net';

/** Whether `port` can be bound on 127.0.0.1 now (0: the kernel picks); the port, or null. */
function tryPort(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', () => resolve(null));
    srv.listen(port, '127.0.0.1', () => {
      const bound = srv.address().port;
      srv.close(() => resolve(bound));
    });
  });
}

/** The kernel's ephemeral range (where its own picks and every outgoing connection's port come from). */
function ephemeralRange() {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo > 0 && hi >= lo) return [lo, hi];
  } catch {
    /* not Linux */
  }
  return [32768, 60999];
}

/**
 * A port that was free a moment ago on 127.0.0.1, below the kernel's ephemeral range: a
 * service binds it seconds later (nginx after every replica is up), and on a busy machine
 * a port from the range was taken meanwhile by someone's outgoing connection ("address
 * already in use"). Falls back to the kernel's pick.
 */
export async function freePort() {
  const [lo] = ephemeralRange();
  const from = 10_000;
  for (let attempt = 0; attempt < 50 && lo > from; attempt++) {
    const port = await tryPort(from + Math.floor(Math.random() * (lo - from)));
    if (port) return port;
  }
  const port = await tryPort(0);
  if (!port) throw new Error('no free port on 127.0.0.1');
  return port;
}

/**
 * Start `cmd args` detached (own process group, so a terminal Ctrl-C reaches only the
 * supervisor, which then stops everything in order), stdout+stderr appended to logFile.
 */
export function spawnLogged(cmd, args, { cwd, env, logFile }) {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', fd, fd] });
    child.on('error', () => {}); // reported through the exit/health wait instead
    return child;
  } finally {
    closeSync(fd);
  }
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** The process's command line from /proc, or null (gone, or not Linux). */
export function cmdlineOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return null;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Stop one recorded process: `signal`, then SIGKILL after `graceMs`. `expect` is a
 * RegExp for its command line; a pid that now belongs to something else is left alone.
 */
export async function stopPid(pid, { signal = 'SIGTERM', graceMs = 10_000, expect } = {}) {
  if (!pid || !isAlive(pid)) return 'gone';
  const cmd = cmdlineOf(pid);
  if (expect && cmd !== null && !expect.test(cmd)) return 'reused';
  try {
    process.kill(pid, signal);
  } catch {
    return 'gone';
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid) || isZombie(pid)) return 'stopped';
    await sleep(50);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* exited meanwhile */
  }
  return 'killed';
}

function isZombie(pid) {
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Last lines of a log file, for error messages. */
export function tail(file, lines = 30) {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Poll `check()` until it returns true. Fails early when `child` exits, with the end of
 * its log, so a crash at start is reported as such rather than as a timeout.
 */
export async function waitFor(name, check, { timeoutMs = 60_000, child, logFile } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = 'never answered';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`${name} exited with ${child.exitCode} during start:\n${tail(logFile)}`);
    }
    if (child && child.signalCode) {
      throw new Error(`${name} was killed (${child.signalCode}) during start:\n${tail(logFile)}`);
    }
    try {
      if (await check()) return;
    } catch (err) {
      last = err.message;
    }
    await sleep(200);
  }
  throw new Error(`${name} not healthy after ${timeoutMs} ms (${last}):\n${logFile ? tail(logFile) : ''}`);
}

/** An HTTP GET health check: true when `ok(status)`. */
export function httpCheck(url, ok = (s) => s >= 200 && s < 300) {
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000), redirect: 'manual' });
    await res.arrayBuffer();
    if (!ok(res.status)) throw new Error(`${url} -> ${res.status}`);
    return true;
  };
}
