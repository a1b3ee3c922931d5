import type { EventBus } from '../../src/bus/types.js';
import type { Backend, TestDb } from './db.js';
import { startTestServer, type TestServer } from './server.js';

/**
 * Two game-server replicas on one fresh database (for Postgres the second has a pool of
 * its own, as another process would), each with its own row cache and batcher.
 */
export async function startReplicas(
  backend: Backend, opts: { bus?: EventBus } = {},
): Promise<{ tdb: TestDb; s1: TestServer; s2: TestServer; close(): Promise<void> }> {
  const tdb = await backend.create();
  const s1 = await startTestServer(tdb.db, opts);
  const s2 = await startTestServer(backend.name === 'postgres' ? (await import('../../src/db/pg.js')).createPgDb(tdb.url!) : tdb.db, opts);
  return {
    tdb, s1, s2,
    async close() {
      await s2.close();
      if (backend.name === 'postgres') await s2.ctx.db.close();
      await s1.close();
      await tdb.drop();
    },
  };
}
