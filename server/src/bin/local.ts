// Local entry (`npm start`): game-server and event-stream in ONE process sharing one
// bus — in-process without REDIS_URL (embedded mode), Redis otherwise. The API listens
// on PORT (3001) and the event stream on EVENT_STREAM_PORT (8080), exactly as the two
// services do in production, so the web finds them at the same addresses. Unlike the
// production entries it binds loopback unless HOST says otherwise: a local try-out must
// not open the API to the network.
import { pino } from 'pino';
import { loadConfig } from '../config/index.js';
import { startGameServer } from '../game-server/start.js';
import { createBus } from '../bus/index.js';
import { loadEventStreamConfig, startEventStream } from '../event-stream/index.js';
import { loadConfigOrExit, shutdownOnSignals } from '../process/lifecycle.js';
import { DataDirLockedError } from '../db/index.js';
import { exitOnFatal } from '../process/fatal.js';

// A stray rejection or exception is logged and ends the process with 70 (process/fatal.ts).
let log: { fatal(obj: object, msg: string): void } = pino();
exitOnFatal(() => log);

async function main(): Promise<void> {
  const env = { ...process.env, HOST: process.env.HOST || '127.0.0.1' };
  const { config, streamConfig } = loadConfigOrExit(() => ({
    config: loadConfig(env),
    streamConfig: loadEventStreamConfig({ ...env, PORT: process.env.EVENT_STREAM_PORT ?? '8080' }),
  }));
  const bus = createBus({ redisUrl: config.redisUrl, keyPrefix: streamConfig.redisKeyPrefix });
  const game = await startGameServer({ config, bus });
  log = game.app.log;
  const logger = pino({ level: streamConfig.logLevel, base: { service: 'event-stream' } });
  const stream = await startEventStream({ config: streamConfig, bus, logger });
  game.app.log.info(
    {
      api: `http://localhost:${game.port}/api`,
      events: `ws://localhost:${stream.port}/ws`,
      db: config.databaseUrl ? 'postgres' : `pglite:${config.dataDir}`,
      bus: config.redisUrl ? 'redis' : 'in-process',
    },
    'monkeytown (local) ready',
  );
  // Sockets first (1012 tells browsers to reconnect), then drain the API, then the bus.
  shutdownOnSignals({
    log: game.app.log,
    close: () => stream.close().then(() => game.close()).then(() => bus.close()),
    forceAfterMs: config.shutdownGraceMs + 5000,
  });
}

main().catch((err) => {
  // A data directory another process holds is an answer, not a crash: one clear line.
  if (err instanceof DataDirLockedError) console.error(err.message);
  else console.error('monkeytown failed to start:', err);
  process.exit(1);
});
