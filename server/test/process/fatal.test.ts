import { fileURLToPath } from 'node:url';
import { freePort, requiredUnderCi } from '@monkeytown/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_FATAL } from '../../src/process/fatal.js';
import { createPostgresDatabase } from '../helpers/db.js';
import { imageNodeOptions, Service, type ServiceName } from '../event-stream/processes.js';

// A stray promise rejection (or an exception out of a callback) in a running service is
// one fatal line in its JSON log — code, message, stack — and exit 70 for the supervisor
// to restart it, not Node's dump on stderr (process/fatal.ts). Each real entry point,
// started as production starts it, with a preloaded module that makes the failure on
// SIGUSR2 (fixtures/stray-failure.mjs). The game-server and local entries on Postgres.
const pgUrl = requiredUnderCi('TEST_DATABASE_URL', 'the fatal-error tests of the game-server and local entries');
const fixture = fileURLToPath(new URL('./fixtures/stray-failure.mjs', import.meta.url));

interface LogLine {
  level: number;
  msg: string;
  origin: string;
  service?: string;
  err: { type: string; code?: string; message: string; stack?: string };
}

/** Starts `name`, makes the stray failure, and returns its exit code and its fatal log lines. */
async function strayFailure(name: ServiceName, kind: 'rejection' | 'exception', env: Record<string, string>) {
  const svc = await Service.start(name, {
    ...env,
    NODE_OPTIONS: `${imageNodeOptions()} --import ${fixture}`.trim(),
    MT_TEST_STRAY: kind,
    LOG_LEVEL: 'info',
  }, undefined, { keepAll: true });
  try {
    // The service answers: it is running with its own logger, not the bootstrap one.
    expect((await fetch(`${svc.http}/health/live`)).ok).toBe(true);
    svc.proc.kill('SIGUSR2');
    const code = await Promise.race([svc.exit(), new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
    const out = svc.output.join('');
    const fatal = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine).filter((l) => l.level === 60);
    return { code, fatal, out };
  } finally {
    await svc.kill('SIGKILL');
  }
}

const expectFatal = (r: Awaited<ReturnType<typeof strayFailure>>, origin: string) => {
  expect(r.code, r.out).toBe(EXIT_FATAL);
  expect(r.fatal, r.out).toHaveLength(1);
  const line = r.fatal[0]!;
  expect(line.origin).toBe(origin);
  expect(line.err).toMatchObject({ type: 'Error', code: 'E_TEST_STRAY', message: 'a stray failure made by the test' });
  expect(line.err.stack).toContain('stray-failure.mjs');
  // Nothing on stderr from Node's default handler: the log line is the whole story.
  expect(r.out).not.toMatch(/^node:internal|triggerUncaughtException/m);
  return line;
};

describe('a stray failure: one fatal log line, then exit 70', () => {
  const dbs: { drop(): Promise<void> }[] = [];
  const db = async () => {
    const d = await createPostgresDatabase(pgUrl);
    dbs.push(d);
    return d.url;
  };
  afterAll(async () => {
    await Promise.all(dbs.map((d) => d.drop()));
  });

  it('event-stream: an unhandled rejection', async () => {
    const line = expectFatal(await strayFailure('event-stream', 'rejection', { REDIS_URL: '' }), 'unhandledRejection');
    expect(line.service).toBe('event-stream');
    expect(line.msg).toBe('unhandled promise rejection; exiting');
  }, 60_000);

  it.skipIf(!pgUrl)('game-server: an unhandled rejection, and an uncaught exception', async () => {
    const env = { DATABASE_URL: await db(), REDIS_URL: '' };
    expectFatal(await strayFailure('game-server', 'rejection', env), 'unhandledRejection');
    const line = expectFatal(await strayFailure('game-server', 'exception', env), 'uncaughtException');
    expect(line.msg).toBe('uncaught exception; exiting');
  }, 120_000);

  it.skipIf(!pgUrl)('local (npm start): an unhandled rejection', async () => {
    const env = { DATABASE_URL: await db(), REDIS_URL: '', EVENT_STREAM_PORT: String(await freePort()) };
    expectFatal(await strayFailure('local', 'rejection', env), 'unhandledRejection');
  }, 60_000);
});
