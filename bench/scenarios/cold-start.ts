// Scenario 5, cold start: process spawn → first 200 from /health/ready, per service,
// polled every 10 ms. The game-server is timed on an empty database (migrations run)
// and on a migrated one; local.js (embedded) on an empty and on an existing data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/stack/procs.mjs';
import { createDatabase, observedStarts, serverEnv, startRedis } from '../lib/infra.js';
import { distDir, startProc, waitReady } from '../lib/proc.js';

export interface ColdStartResult { service: string; variant: string; runsMs: number[] }

/** Spawn → every port's /health/ready answered 200 (local.js serves two ports). */
async function timeStart(name: string, script: string, env: NodeJS.ProcessEnv, ...readyPorts: number[]): Promise<number> {
  const p = startProc(`cold-${name}`, process.execPath, [path.join(distDir(), script)], env);
  try {
    let ms = 0;
    for (const port of readyPorts) ms = await waitReady(p, `http://127.0.0.1:${port}/health/ready`, 90_000, 10);
    return ms;
  } finally {
    await p.stop();
  }
}

/**
 * Quick mode: the starts the other scenarios already made (their readiness polled every
 * 20 ms, spawned while nothing else ran) plus one game-server start on a migrated database.
 */
export async function runColdStartQuick(withPostgres: boolean): Promise<ColdStartResult[]> {
  const out = new Map<string, ColdStartResult>();
  for (const s of observedStarts) {
    const key = `${s.service}|${s.variant}`;
    if (!out.has(key)) out.set(key, { service: s.service, variant: `${s.variant} (seen by other scenarios)`, runsMs: [] });
    out.get(key)!.runsMs.push(s.ms);
  }
  if (withPostgres) {
    const redis = await startRedis('cold');
    const db = await createDatabase();
    try {
      const port = await freePort();
      const env = serverEnv({ NODE_ENV: 'production', PORT: String(port), DATABASE_URL: db.url, REDIS_URL: redis.url });
      const empty = await timeStart('game-server', 'game-server.js', env, port);
      const warm = await timeStart('game-server', 'game-server.js', env, port);
      out.set('gs-empty', { service: 'game-server', variant: 'empty database (migrations)', runsMs: [empty] });
      out.set('gs-warm', { service: 'game-server', variant: 'migrated database', runsMs: [warm] });
    } finally {
      await db.drop();
      await redis.stop();
    }
  }
  return [...out.values()];
}

export async function runColdStart(runs: number, withPostgres: boolean): Promise<ColdStartResult[]> {
  const out: ColdStartResult[] = [];
  const redis = await startRedis('cold');
  try {
    if (withPostgres) {
      const empty: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < runs; i++) {
        const db = await createDatabase();
        try {
          const port = await freePort();
          const env = serverEnv({ NODE_ENV: 'production', PORT: String(port), DATABASE_URL: db.url, REDIS_URL: redis.url });
          empty.push(await timeStart('game-server', 'game-server.js', env, port));
          warm.push(await timeStart('game-server', 'game-server.js', env, port));
        } finally {
          await db.drop();
        }
      }
      out.push({ service: 'game-server', variant: 'empty database (migrations)', runsMs: empty });
      out.push({ service: 'game-server', variant: 'migrated database', runsMs: warm });
    }
    const es: number[] = [];
    for (let i = 0; i < runs; i++) {
      const port = await freePort();
      es.push(await timeStart('event-stream', 'event-stream.js', serverEnv({ NODE_ENV: 'production', PORT: String(port), REDIS_URL: redis.url }), port));
    }
    out.push({ service: 'event-stream', variant: 'redis', runsMs: es });
    const fresh: number[] = [];
    const again: number[] = [];
    for (let i = 0; i < runs; i++) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'mt-bench-cold-'));
      try {
        const [port, esPort] = [await freePort(), await freePort()];
        const env = serverEnv({ PORT: String(port), EVENT_STREAM_PORT: String(esPort), DATA_DIR: dir });
        delete env.DATABASE_URL;
        delete env.REDIS_URL;
        fresh.push(await timeStart('local', 'local.js', env, port, esPort));
        again.push(await timeStart('local', 'local.js', env, port, esPort));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    out.push({ service: 'local (embedded)', variant: 'new data dir (PGlite init + migrations)', runsMs: fresh });
    out.push({ service: 'local (embedded)', variant: 'existing data dir', runsMs: again });
  } finally {
    await redis.stop();
  }
  return out;
}
