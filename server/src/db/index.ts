import path from 'node:path';
import type { Config } from '../config/index.js';
import { credentialsFor } from './credentials.js';
import { createPgDb } from './pg.js';
import { createPgliteDb } from './pglite.js';
import { lockDataDir } from './data-lock.js';
import type { Db } from './types.js';

export type { Db, Queryable, QueryResult } from './types.js';
export { migrate } from './migrate.js';
export { DataDirLockedError } from './data-lock.js';

/**
 * Postgres when DATABASE_URL is set, embedded PGlite under DATA_DIR/pg otherwise — locked
 * to this process until closed (db/data-lock.ts: a second process is refused at once).
 */
export async function createDb(
  config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'databasePoolMax' | 'databaseIam' | 'databasePool'>>,
): Promise<Db> {
  if (config.databaseUrl) {
    const credentials = credentialsFor(config.databaseUrl, config.databaseIam);
    return createPgDb(config.databaseUrl, { max: config.databasePoolMax ?? 10, credentials, settings: config.databasePool });
  }
  const release = lockDataDir(config.dataDir);
  try {
    const db = await createPgliteDb(path.join(config.dataDir, 'pg'));
    return { ...db, close: () => db.close().finally(release) };
  } catch (err) {
    release();
    throw err;
  }
}
