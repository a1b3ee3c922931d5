import { afterAll, beforeAll } from 'vitest';
import type { EventBus } from '../../src/bus/types.js';
import type { Backend, TestDb } from './db.js';
import { startTestServer, type TestServer } from './server.js';

export interface Replicas {
  tdb: TestDb;
  s1: TestServer;
  s2: TestServer;
  close(): Promise<void>;
}

export interface ReplicaOptions {
  bus?: EventBus;
  env?: Record<string, string>;
}

/**
 * Two game-server replicas on one fresh database (for Postgres the second has a pool of
 * its own, as another process would), each with its own row cache and batcher.
 */
export async function startReplicas(backend: Backend, opts: ReplicaOptions = {}): Promise<Replicas> {
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

export interface ReplicaSuite {
  readonly tdb: TestDb;
  readonly s1: TestServer;
  readonly s2: TestServer;
}

/**
 * startReplicas for the enclosing describe: started in its beforeAll, closed in its
 * afterAll. Call inside the describe; read the handle's fields in hooks and tests (the
 * getters throw before beforeAll ran).
 */
export function useReplicas(backend: Backend, opts: ReplicaOptions = {}): ReplicaSuite {
  let replicas: Replicas | undefined;
  beforeAll(async () => {
    replicas = await startReplicas(backend, opts);
  });
  afterAll(async () => {
    await replicas?.close();
  });
  const started = (field: string): Replicas => {
    if (!replicas) throw new Error(`useReplicas: the replicas start in beforeAll; read ${field} in a hook or test`);
    return replicas;
  };
  return {
    get tdb() {
      return started('tdb').tdb;
    },
    get s1() {
      return started('s1').s1;
    },
    get s2() {
      return started('s2').s2;
    },
  };
}
