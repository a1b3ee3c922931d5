import { startTopology } from '../lib/infra.js';
import { fmt, median } from '../lib/stats.js';
import { printTable } from '../lib/table.js';
import { makePlayers, runSelfPlay, type SelfPlayResult } from '../scenarios/selfplay.js';
import type { Opts } from '../run.js';
import { CPU_HEADERS, cpuCols, PER_MOVE_HEADERS, perMoveCols, RSS_HEADERS, rssCols, serverCpuTotal } from './common.js';

/** Several runs where cheap: every G up to 500 runs `opts.runs` times, larger G once. */
export async function selfPlay(opts: Opts): Promise<SelfPlayResult[]> {
  const results: SelfPlayResult[] = [];
  const rows: (string | number)[][] = [];
  for (const name of opts.topologies) {
    const top = await startTopology(name);
    try {
      const players = await makePlayers(top, 2 * Math.max(...opts.games));
      for (const g of opts.games) {
        const runs = g <= 500 ? opts.runs : 1;
        for (let run = 1; run <= runs; run++) {
          const r = await runSelfPlay(top, players, g, opts.seconds, opts.warmup);
          results.push({ ...r, run } as SelfPlayResult & { run: number });
          const srvMsPerMove = r.movesCommitted ? (serverCpuTotal(r.server) * 1000) / r.movesCommitted : NaN;
          rows.push([
            name, g, run, fmt(r.movesPerSec), r.gamesFinished,
            fmt(r.latencyMs.p50), fmt(r.latencyMs.p95), fmt(r.latencyMs.p99), fmt(r.latencyMs.max),
            r.errorTotal + r.gaps, fmt(r.clientCpuSec, 2), ...cpuCols(r.server), fmt(srvMsPerMove, 2), ...perMoveCols(r.server, r.movesCommitted), ...rssCols(r.server),
          ]);
          if (r.errorTotal) console.log(`   [${name} G=${g}] errors: ${JSON.stringify(r.errors)}`);
        }
      }
    } finally {
      await top.stop();
    }
  }
  printTable('Self-play load (tic-tac-toe, 2 scripted guests per game; latency = move sent → opponent socket, ms)',
    ['topology', 'G', 'run', 'moves/s', 'games', 'p50', 'p95', 'p99', 'max', 'errors', 'client cpu s', ...CPU_HEADERS, 'srv cpu ms/move', ...PER_MOVE_HEADERS, ...RSS_HEADERS],
    rows,
    [`${opts.seconds} s per run after ${opts.warmup} s of warm-up (not counted); "errors" includes sequence gaps (must be 0). gs = game-server (local.js when embedded), es = event-stream, other = redis + nginx.`,
      '"srv cpu ms/move" is the old figure (no Postgres); the ms/mv columns add the Postgres backends of the bench database (pg) and TOTAL counts every server process.',
      ...medianNotes(results)]);
  return results;
}

function medianNotes(results: SelfPlayResult[]): string[] {
  const groups = new Map<string, SelfPlayResult[]>();
  for (const r of results) groups.set(`${r.topology} G=${r.games}`, [...(groups.get(`${r.topology} G=${r.games}`) ?? []), r]);
  return [...groups].filter(([, rs]) => rs.length > 1).map(([k, rs]) =>
    `median of ${rs.length} runs, ${k}: ${fmt(median(rs.map((r) => r.movesPerSec)))} moves/s, p99 ${fmt(median(rs.map((r) => r.latencyMs.p99)))} ms`);
}
