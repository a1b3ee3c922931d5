import { startTopology } from '../lib/infra.js';
import { fmt } from '../lib/stats.js';
import { printTable } from '../lib/table.js';
import { runVersusAi, type VersusAiResult } from '../scenarios/versus-ai.js';
import type { Opts } from '../run.js';

export async function versusAi(opts: Opts): Promise<VersusAiResult[]> {
  const top = await startTopology(opts.hasPostgres ? 'real' : 'embedded');
  let results: VersusAiResult[];
  try {
    results = await runVersusAi(top, opts.quick ? 2 : 4, opts.quick ? 1 : 8);
  } finally {
    await top.stop();
  }
  printTable(`Versus AI (connect four, ${top.name} topology, AI_THINK_DELAY=0; ms)`,
    ['agent', 'G', 'games', 'agent moves/s', 'reply p50', 'p95', 'p99', 'think p50', 'think p99', 'srv search mean', 'srv search p99≤', 'loop p99 (max/med)', 'loop max', 'gs cpu s', 'errors'],
    results.map((r) => [
      r.agent, r.games, r.gamesFinished, fmt(r.movesPerSec), fmt(r.replyMs.p50), fmt(r.replyMs.p95), fmt(r.replyMs.p99),
      fmt(r.thinkMs.p50), fmt(r.thinkMs.p99), fmt(r.serverThink?.meanMs), fmt(r.serverThink?.p99UpperMs),
      r.eventLoop ? `${fmt(r.eventLoop.p99MaxMs)}/${fmt(r.eventLoop.p99MedianMs)}` : 'n/a', fmt(r.eventLoop?.maxMs),
      fmt(Object.values(r.server)[0]?.cpuSec, 2), Object.values(r.errors).reduce((a, b) => a + b, 0),
    ]),
    ['reply = human move sent → agent move received; think = agent.thinking received → agent move received;',
      'srv search = monkeytown_ai_think_seconds from /metrics (p99 is a histogram bucket bound);',
      'loop = game-server event-loop delay p99 per 1 s scrape of /metrics (max and median over the run), and the max delay seen.'],
  );
  return results;
}
