// The test's topology for issue 22: two game-server and two event-stream processes
// (SIGKILL must be real) on a fresh Postgres database and a private redis-server that
// keeps its data across a restart, as a managed Redis does. Plus the CPU hog.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { RedisServer, requiredUnderCi, underCi } from '@monkeytown/test-support';
import { createPostgresDatabase } from '../helpers/db.js';
import { Service } from '../event-stream/processes.js';
import type { Endpoints } from './seam.js';

/** Why the suite cannot run here (printed, and the suite skips), or undefined. Under CI=true a missing backend throws. */
export function missingBackend(): string | undefined {
  if (!requiredUnderCi('TEST_DATABASE_URL', 'the concurrent-writers delivery test (needs real Postgres)')) return 'no TEST_DATABASE_URL';
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    if (underCi()) throw new Error('redis-server is not on PATH: the concurrent-writers delivery test cannot run, and CI=true requires it');
    console.warn('[test] redis-server not on PATH: skipping the concurrent-writers delivery test');
    return 'no redis-server';
  }
  return undefined;
}

export interface Topology {
  ep: Endpoints;
  redis: RedisServer;
  gs: Service[];
  es: Service[];
  stop(): Promise<void>;
}

export async function startTopology(): Promise<Topology> {
  const db = await createPostgresDatabase(process.env.TEST_DATABASE_URL);
  const started: Service[] = [];
  let redis: RedisServer | undefined;
  const stop = async () => {
    await Promise.all(started.map((s) => s.stop()));
    await redis?.dispose();
    await db.drop();
  };
  try {
    redis = await RedisServer.start({ persistent: true });
    const gsEnv = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      // One test process is hundreds of players on one address: limits out of the way.
      RATE_LIMIT_IP_PER_MIN: '1000000',
      RATE_LIMIT_PLAYER_PER_MIN: '1000000',
      RATE_LIMIT_CREATE_PLAYER_PER_MIN: '1000000',
      CHAT_RATE_LIMIT_PER_10S: '1000000',
      CHAT_RATE_LIMIT_PER_MIN: '1000000',
      CHAT_REPORTS_PER_HOUR: '1000000',
      // A lobby row for every move (no throttle): the most lobby rows racing from two replicas.
      LOBBY_MOVE_UPDATE_MS: '0',
      SHUTDOWN_GRACE_MS: '1000',
      // The outbox's publish path keeps its production settings (relay poll, sweep grace).
    };
    const esEnv = { REDIS_URL: redis.url, SHUTDOWN_GRACE_MS: '500' };
    const start = async (name: 'game-server' | 'event-stream', env: Record<string, string>) => {
      const s = await Service.start(name, env);
      started.push(s);
      return s;
    };
    const [gsA, gsB, esA, esB] = await Promise.all([start('game-server', gsEnv), start('game-server', gsEnv), start('event-stream', esEnv), start('event-stream', esEnv)]);
    return { ep: { gs: [gsA.http, gsB.http], es: [esA.ws, esB.ws], redisUrl: redis.url }, redis, gs: [gsA, gsB], es: [esA, esB], stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A process spinning on CPU 0, with `victim` pinned there too (when taskset exists): that replica gets half a core. */
export function startCpuHog(victim: Service): { pinned: boolean; stop(): Promise<void> } {
  const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
  const hog: ChildProcess = hasTaskset
    ? spawn('taskset', ['-c', '0', process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' })
    : spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  if (hasTaskset && victim.proc.pid) execFileSync('taskset', ['-a', '-p', '-c', '0', String(victim.proc.pid)], { stdio: 'ignore' });
  return {
    pinned: hasTaskset,
    async stop() {
      if (hog.exitCode !== null || hog.signalCode !== null) return;
      const exited = new Promise((r) => hog.once('exit', r));
      hog.kill('SIGKILL'); // by its own pid (taskset exec'd node in place)
      await exited;
    },
  };
}
