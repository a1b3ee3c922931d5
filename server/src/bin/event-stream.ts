// Entry point of the event-stream service (server/dist/event-stream.js): WebSocket
// fan-out over Redis, no database. PORT (default 8080), REDIS_URL, SESSION_SECRET.
import { pino } from 'pino';
import { loadEventStreamConfig, startEventStream } from '../event-stream/index.js';
import { loadConfigOrExit, shutdownOnSignals } from '../process/lifecycle.js';
import { drainMsFromEnv } from '../process/drain.js';
import { ECS_STOP_POLL_MS, watchEcsTaskStop } from '../process/ecs-stop.js';
import { exitOnFatal } from '../process/fatal.js';

// A stray rejection or exception is logged and ends the process with 70 (process/fatal.ts).
let log: { fatal(obj: object, msg: string): void } = pino({ base: { service: 'event-stream' } });
exitOnFatal(() => log);

async function main(): Promise<void> {
  const { config, drainMs } = loadConfigOrExit(() => ({ config: loadEventStreamConfig(), drainMs: drainMsFromEnv() }));
  const logger = pino({ level: config.logLevel, base: { service: 'event-stream' } });
  log = logger;
  if (!config.redisUrl) {
    logger.warn('REDIS_URL not set: in-process bus, this process sees no game-server events (use `npm start` for embedded mode)');
  }
  const es = await startEventStream({ config, logger });
  const stop = shutdownOnSignals({
    log: logger,
    close: () => es.close(),
    forceAfterMs: config.shutdownGraceMs + 5000,
    drain: { ms: drainMs, begin: () => es.drain(drainMs) },
  });
  // On ECS, drain from the moment the task is to stop (its target deregistered), not from
  // SIGTERM, which comes only after the ALB has cut the sockets (process/ecs-stop.ts).
  watchEcsTaskStop({
    metadataUri: process.env.ECS_CONTAINER_METADATA_URI_V4,
    intervalMs: ECS_STOP_POLL_MS,
    onStop: () => stop('ECS task stopping'),
    log: logger,
  });
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
