// game-server entry: `node dist/game-server.js` (PORT, default 3001). See docs/api.md.
import { ConfigError, loadConfig } from '../config/index.js';
import { startGameServer } from '../game-server/start.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const server = await startGameServer({ config });
  server.app.log.info({ port: server.port, db: config.databaseUrl ? 'postgres' : `pglite:${config.dataDir}`, bus: config.redisUrl ? 'redis' : 'memory' }, 'game-server ready');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      server.app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 5000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  console.error('game-server failed to start:', err);
  process.exit(1);
});
