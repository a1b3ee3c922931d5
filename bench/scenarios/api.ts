// Scenario 4, API reads against real Postgres: snapshot reads (GET /api/games/:id) and
// lobby listings (GET /api/games?status=…), closed loop: C keep-alive connections each
// sending the next request as soon as the last answered, for a fixed time.
import { Api, pool } from '../lib/http.js';
import { createPlayers, type Player } from '../lib/players.js';
import { clientCpu, ProcSampler } from '../lib/proc.js';
import { summarize, Tally, type Summary } from '../lib/stats.js';
import type { Topology } from '../lib/infra.js';

export interface ApiResult {
  endpoint: string;
  connections: number;
  seconds: number;
  requests: number;
  reqPerSec: number;
  latencyMs: Summary;
  errors: Record<string, number>;
  clientCpuSec: number;
  server: Record<string, { cpuSec: number; peakRssMiB: number; hwmMiB: number }>;
}

/** Seed `games` games: a third open, a third active after two moves, a third finished. */
export async function seedGames(api: Api, games: number): Promise<{ ids: string[]; players: Player[] }> {
  const players = await createPlayers(api, 80_000, 20, 'api');
  const ids = await pool(Array.from({ length: games }, (_, i) => i), 16, async (i) => {
    const a = players[i % 20]!;
    const b = players[(i + 1) % 20]!;
    const c = await api.post('/api/games', { type: 'tictactoe', opponent: { kind: 'open' }, seat: 0 }, a);
    if (c.status !== 201) throw new Error(`seed create -> ${c.status}`);
    const id: string = c.body.game.id;
    if (i % 3 === 0) return id;
    const j = await api.post(`/api/games/${id}/join`, {}, b);
    let seq: number = j.body.game.seq;
    const cells = i % 3 === 1 ? [4, 0] : [0, 3, 1, 4, 2]; // active, or a win for X
    for (let k = 0; k < cells.length; k++) {
      const r = await api.post(`/api/games/${id}/moves`, { move: { cell: cells[k] }, expectedSeq: seq }, k % 2 ? b : a);
      if (r.status !== 200) throw new Error(`seed move -> ${r.status}`);
      seq = r.body.seq;
    }
    return id;
  });
  return { ids, players };
}

export async function runApiLoad(top: Topology, endpoint: string, paths: () => string, connections: number, seconds: number): Promise<ApiResult> {
  const api = new Api(top.api, connections);
  const lat: number[] = [];
  const errors = new Tally();
  const sampler = new ProcSampler(top.procs);
  const cpu = clientCpu();
  sampler.begin();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async (_, c) => {
    const who = { ip: `100.100.${c >> 8}.${c & 255}` };
    for (let k = 0; k < 1_000_000 && performance.now() < deadline; k++) {
      const s = performance.now();
      try {
        const r = await api.get(paths(), who);
        if (r.status === 200) lat.push(performance.now() - s);
        else errors.add(String(r.status));
      } catch (err) {
        errors.add((err as Error).message.slice(0, 40));
      }
    }
  }));
  const wall = (performance.now() - t0) / 1000;
  const clientCpuSec = cpu();
  const server = sampler.end();
  api.close();
  return {
    endpoint, connections, seconds: wall, requests: lat.length, reqPerSec: lat.length / wall,
    latencyMs: summarize(lat), errors: errors.counts, clientCpuSec, server,
  };
}
