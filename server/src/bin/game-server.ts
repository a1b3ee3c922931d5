// game-server entry: `node dist/game-server.js` (PORT, default 3001). See docs/api.md.
import { loadConfig } from '../config/index.js';
import { startGameServer } from '../game-server/start.js';
import { loadConfigOrExit, shutdownOnSignals } from '../process/lifecycle.js';
import { drainMsFromEnv } from '../process/drain.js';
import { exitOnFatal } from '../process/fatal.js';
import { pino } from 'pino';

// A stray rejection or exception is logged (the app's logger once it has one) and ends
// the process with 70 for the supervisor to restart it (process/fatal.ts).
let log: { fatal(obj: object, msg: string): void } = pino();
exitOnFatal(() => log);

async function main(): Promise<void> {
  const { config, drainMs } = loadConfigOrExit(() => ({ config: loadConfig(), drainMs: drainMsFromEnv() }));
  const server = await startGameServer({ config });
  log = server.app.log;
  server.app.log.info({ port: server.port, db: config.databaseUrl ? 'postgres' : `pglite:${config.dataDir}`, bus: config.redisUrl ? 'redis' : 'memory' }, 'game-server ready');
  shutdownOnSignals({
    log: server.app.log,
    // Stop listening first and let just-accepted connections be answered (drain.ts).
    close: () => server.stopListening(300).then(() => server.close()),
    forceAfterMs: config.shutdownGraceMs + 5000,
    // Readiness 503 and `Connection: close` on every answer while still serving.
    drain: { ms: drainMs, begin: () => void (server.ctx.accepting = false) },
  });
}

main().catch((err) => {
  console.error('game-server failed to start:', err);
  process.exit(1);
});
