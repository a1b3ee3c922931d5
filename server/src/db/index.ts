import path from 'node:path';
import type { Config } from '../config/index.js';
import { credentialsFor } from './credentials.js';
import { createPgDb } from './pg.js';
import { createPgliteDb } from './pglite.js';
import type { Db } from './types.js';

export type { Db, Queryable, QueryResult } from './types.js';
export { migrate } from './migrate.js';

/** Postgres when DATABASE_URL is set, embedded PGlite under DATA_DIR/pg otherwise. */
export async function createDb(
  config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'databasePoolMax' | 'databaseIam' | 'databasePool'>>,
): Promise<Db> {
  if (config.databaseUrl) {
    const credentials = credentialsFor(config.databaseUrl, config.databaseIam);
    return createPgDb(config.databaseUrl, { max: config.databasePoolMax ?? 10, credentials, settings: config.databasePool });
  }
  return createPgliteDb(path.join(config.dataDir, 'pg'));
}
