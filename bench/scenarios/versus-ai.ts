// Scenario 2, versus AI: G connect-four games against each personality (agents'
// natural pause off: AI_THINK_DELAY=0, so what is timed is search + commit + delivery).
// The human side plays a random legal column as soon as the agent's move arrives.
import { AgentId, gameTopic } from '@monkeytown/shared';
import { Api } from '../lib/http.js';
import { bucketQuantile, histogram, LoopDelayWatch, scrape } from '../lib/metrics.js';
import { closePlayers, connectPlayers, createPlayers, Inbox, type Player } from '../lib/players.js';
import { clientCpu, ProcSampler } from '../lib/proc.js';
import { summarize, Tally, type Summary } from '../lib/stats.js';
import type { Topology } from '../lib/infra.js';

export interface VersusAiResult {
  agent: string;
  games: number;
  wallSec: number;
  gamesFinished: number;
  agentMoves: number;
  movesPerSec: number;
  /** Human's move sent → agent's move received. */
  replyMs: Summary;
  /** agent.thinking received → agent's move received. */
  thinkMs: Summary;
  /** Server-side search time (monkeytown_ai_think_seconds): mean and bucket-bound p99. */
  serverThink: { count: number; meanMs: number; p99UpperMs: number } | null;
  eventLoop: { p99MaxMs: number; p99MedianMs: number; maxMs: number; intervals: number } | null;
  errors: Record<string, number>;
  clientCpuSec: number;
  server: Record<string, { cpuSec: number; peakRssMiB: number; hwmMiB: number }>;
}

const AGENTS = AgentId.options;

async function playVsAgent(api: Api, me: Player, agentId: string, reply: number[], think: number[], rand: () => number, waitMs: number): Promise<number> {
  const c = await api.post('/api/games', { type: 'connect4', opponent: { kind: 'agent', agentId }, seat: 0 }, me);
  if (c.status !== 201) throw new Error(`create_${c.status}`);
  const id: string = c.body.game.id;
  const inbox = new Inbox(me.client!, gameTopic(id), c.body.game.seq);
  let seq: number = c.body.game.seq;
  let cells: (number | null)[] = c.body.game.state.cells;
  let agentMoves = 0;
  try {
    for (let turn = 0; turn < 30; turn++) {
      const legal = [0, 1, 2, 3, 4, 5, 6].filter((col) => cells[col] === null);
      const column = legal[Math.floor(rand() * legal.length)]!;
      const sentAt = performance.now();
      const r = await api.post(`/api/games/${id}/moves`, { move: { column }, expectedSeq: seq }, me);
      if (r.status !== 200) throw new Error(`move_${r.status}`);
      if (r.body.game.status === 'finished') return agentMoves;
      // Own move, agent.thinking, then the agent's move.
      let thinkingAt = NaN;
      for (let s = r.body.seq + 1; ; s++) {
        const got = await inbox.waitFor(s, waitMs);
        if (got.e.kind === 'agent.thinking') thinkingAt = got.at;
        if (got.e.kind !== 'move') continue;
        const data = got.e.data as { seat: number; state: { cells: (number | null)[] }; status: string };
        if (data.seat !== 1) continue;
        reply.push(got.at - sentAt);
        if (Number.isFinite(thinkingAt)) think.push(got.at - thinkingAt);
        agentMoves++;
        seq = got.e.seq;
        cells = data.state.cells;
        if (data.status === 'finished') return agentMoves;
        break;
      }
    }
    return agentMoves;
  } finally {
    inbox.close();
  }
}

export async function runVersusAi(top: Topology, gamesPerAgent: number, secondsPerAgent: number, agents: readonly string[] = AGENTS): Promise<VersusAiResult[]> {
  const api = new Api(top.api);
  const players = await createPlayers(api, 50_000, gamesPerAgent, 'human');
  let reconnects = 0;
  const connectFailed = await connectPlayers(players, top.ws, () => reconnects++);
  if (connectFailed) throw new Error(`${connectFailed} event-stream connections failed`);
  const out: VersusAiResult[] = [];
  for (const agentId of agents) {
    const reply: number[] = [];
    const think: number[] = [];
    const errors = new Tally();
    let finished = 0;
    let agentMoves = 0;
    const loop = new LoopDelayWatch(`${top.api}/metrics`);
    const metricsUrl = `${top.api}/metrics`; // direct to the game-server (real or embedded topology)
    const before = await scrape(metricsUrl).catch(() => null);
    const sampler = new ProcSampler(top.procs.filter((p) => p.name === 'game-server' || p.name === 'local'));
    await loop.begin();
    sampler.begin();
    const cpu = clientCpu();
    const t0 = performance.now();
    const deadline = t0 + secondsPerAgent * 1000;
    await Promise.all(players.map(async (p, i) => {
      let s = i + 7;
      const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
      for (let k = 0; k < 1000 && performance.now() < deadline; k++) {
        try {
          agentMoves += await playVsAgent(api, p, agentId, reply, think, rand, 30_000);
          finished++;
        } catch (err) {
          errors.add((err as Error).message);
        }
      }
    }));
    const wallSec = (performance.now() - t0) / 1000;
    const clientCpuSec = cpu();
    const server = sampler.end();
    const eventLoop = await loop.end();
    const after = await scrape(metricsUrl).catch(() => null);
    out.push({
      agent: agentId, games: gamesPerAgent, wallSec, gamesFinished: finished, agentMoves,
      movesPerSec: agentMoves / wallSec,
      replyMs: summarize(reply), thinkMs: summarize(think),
      serverThink: before && after ? thinkDelta(before, after, agentId) : null,
      eventLoop, errors: { ...errors.counts, ...(reconnects ? { reconnects } : {}) }, clientCpuSec, server,
    });
  }
  closePlayers(players);
  api.close();
  return out;
}

/** The AI think histogram's change over the run, for one agent (connect four). */
function thinkDelta(before: Map<string, number>, after: Map<string, number>, agentId: string) {
  const labels = `agent="${agentId}"`;
  const a = histogram(after, 'monkeytown_ai_think_seconds', labels);
  const b = histogram(before, 'monkeytown_ai_think_seconds', labels);
  const count = a.count - b.count;
  if (count <= 0) return null;
  const buckets = a.buckets.map(([le, n], i) => [le, n - (b.buckets[i]?.[1] ?? 0)] as [number, number]);
  return { count, meanMs: ((a.sum - b.sum) / count) * 1000, p99UpperMs: bucketQuantile({ count, buckets }, 99) * 1000 };
}
