import { startTopology } from '../lib/infra.js';
import { Api } from '../lib/http.js';
import { fmt } from '../lib/stats.js';
import { printTable } from '../lib/table.js';
import { runApiLoad, seedGames, type ApiResult } from '../scenarios/api.js';
import type { Opts } from '../run.js';

export async function apiReads(opts: Opts): Promise<ApiResult[] | { skipped: string }> {
  if (!opts.hasPostgres) {
    console.log('\n## API: skipped (needs Postgres: BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    return { skipped: 'no database URL' };
  }
  const top = await startTopology('real');
  const results: ApiResult[] = [];
  try {
    const seedApi = new Api(top.api, 16);
    const { ids } = await seedGames(seedApi, opts.quick ? 30 : 600);
    seedApi.close();
    const conns = opts.quick ? 16 : 32;
    const secs = opts.quick ? 2 : 10;
    let k = 0;
    const plan: [string, () => string][] = [
      ['GET /api/games/:id', () => `/api/games/${ids[k++ % ids.length]}`],
      ['GET /api/games?status=active', () => '/api/games?status=active&limit=20'],
      ['GET /api/games (all, 20)', () => '/api/games?limit=20'],
    ];
    for (let run = 1; run <= (opts.quick ? 1 : opts.runs); run++) {
      for (const [name, path] of plan) results.push({ ...(await runApiLoad(top, name, path, conns, secs)), run } as ApiResult & { run: number });
    }
  } finally {
    await top.stop();
  }
  printTable('API reads against real Postgres (closed loop, keep-alive; ms)',
    ['endpoint', 'conns', 'req/s', 'p50', 'p95', 'p99', 'max', 'errors', 'client cpu s', 'gs cpu s', 'gs cpu ms/req'],
    results.map((r) => {
      const gs = r.server['game-server']?.cpuSec ?? NaN;
      return [r.endpoint, r.connections, fmt(r.reqPerSec), fmt(r.latencyMs.p50), fmt(r.latencyMs.p95), fmt(r.latencyMs.p99), fmt(r.latencyMs.max),
        Object.values(r.errors).reduce((a, b) => a + b, 0), fmt(r.clientCpuSec, 2), fmt(gs, 2), fmt((gs * 1000) / Math.max(1, r.requests), 2)];
    }));
  return results;
}
