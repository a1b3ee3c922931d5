// Entry point of the event-stream service (server/dist/event-stream.js): WebSocket
// fan-out over Redis, no database. PORT (default 8080), REDIS_URL, SESSION_SECRET.
import { pino } from 'pino';
import { ConfigError } from '../config/index.js';
import { loadEventStreamConfig, startEventStream } from '../event-stream/index.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadEventStreamConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'event-stream' } });
  if (!config.redisUrl) {
    logger.warn('REDIS_URL not set: in-process bus, this process sees no game-server events (use `npm start` for embedded mode)');
  }
  const es = await startEventStream({ config, logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 5000).unref();
    es.close().then(
      () => process.exit(0),
      (err: Error) => {
        logger.error({ err: err.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
