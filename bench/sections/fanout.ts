import { startTopology } from '../lib/infra.js';
import { fmt } from '../lib/stats.js';
import { printTable } from '../lib/table.js';
import { runIdle, runSpectators, type IdleResult, type SpectatorResult } from '../scenarios/fanout.js';
import type { Opts } from '../run.js';

export async function fanout(opts: Opts): Promise<{ idle: IdleResult; spectators: SpectatorResult[] } | { skipped: string }> {
  if (!opts.hasPostgres) {
    console.log('\n## Fan-out: skipped (needs the real topology: BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    return { skipped: 'no database URL' };
  }
  const top = await startTopology('real');
  let idle: IdleResult;
  const spectators: SpectatorResult[] = [];
  try {
    idle = await runIdle(top, opts.quick ? 1000 : 10_000);
    for (const [i, n] of (opts.quick ? [200, 500] : [1000, 5000]).entries()) spectators.push(await runSpectators(top, n, 90_000 + i * 10));
  } finally {
    await top.stop();
  }
  printTable('Fan-out: idle sockets on one event-stream',
    ['sockets', 'connect s', 'RSS before MiB', 'RSS after MiB', 'KiB/connection', 'es cpu s'],
    [[idle.sockets, fmt(idle.connectSec, 2), fmt(idle.rssBeforeMiB), fmt(idle.rssAfterMiB), fmt(idle.kibPerConnection), fmt(idle.esCpuSec, 2)]]);
  printTable('Fan-out: one game\'s 9 moves to N spectators (move sent → spectator socket, ms)',
    ['spectators', 'deliveries', 'missing', 'out of order', 'p50', 'p95', 'p99', 'max', 'client cpu s', 'es cpu s', 'es MiB'],
    spectators.map((s) => [s.spectators, s.deliveries, s.missing, s.outOfOrder, fmt(s.latencyMs.p50), fmt(s.latencyMs.p95),
      fmt(s.latencyMs.p99), fmt(s.latencyMs.max), fmt(s.clientCpuSec, 2), fmt(s.server['event-stream']?.cpuSec, 2), fmt(s.server['event-stream']?.peakRssMiB, 0)]));
  return { idle, spectators };
}
