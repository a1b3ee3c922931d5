// game-server entry: `node dist/game-server.js` (PORT, default 3001). See docs/api.md.
import { loadConfig } from '../config/index.js';
import { startGameServer } from '../game-server/start.js';
import { loadConfigOrExit, shutdownOnSignals } from '../process/lifecycle.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit(() => loadConfig());
  const server = await startGameServer({ config });
  server.app.log.info({ port: server.port, db: config.databaseUrl ? 'postgres' : `pglite:${config.dataDir}`, bus: config.redisUrl ? 'redis' : 'memory' }, 'game-server ready');
  shutdownOnSignals({ log: server.app.log, close: () => server.close(), forceAfterMs: config.shutdownGraceMs + 5000 });
}

main().catch((err) => {
  console.error('game-server failed to start:', err);
  process.exit(1);
});
