// Helpers shared by the scenario sections: per-process CPU/RSS columns.
import { fmt } from '../lib/stats.js';

import type { IoCounts } from '../lib/proc.js';

export type ProcFigures = Record<string, { cpuSec: number; peakRssMiB: number; hwmMiB: number; backends?: number; xacts?: number; io?: IoCounts }>;

/** Read/write system calls and KiB written per move of each Node server process (/proc/<pid>/io): counts, steadier than CPU time. */
export function ioPerMove(server: ProcFigures, moves: number): string {
  return Object.entries(server).filter(([, f]) => f.io && moves).map(([name, f]) =>
    `${name} ${fmt(f.io!.syscr / moves, 2)} reads ${fmt(f.io!.syscw / moves, 2)} writes ${fmt(f.io!.wchar / moves / 1024, 2)} KiB out ${fmt((f.io!.stime * 1000) / moves, 3)} ms sys ${fmt(f.io!.switches / moves, 2)} sleeps`).join('; ');
}

const GS = ['game-server', 'local'];
/** The Postgres backends of the bench's database (counted apart: the old columns never had them). */
const PG = 'postgres';

type Group = 'gs' | 'es' | 'redis' | 'nginx' | 'pg';
function groupOf(name: string): Group {
  if (GS.includes(name)) return 'gs';
  if (name === 'event-stream') return 'es';
  if (name === PG) return 'pg';
  if (name.startsWith('nginx')) return 'nginx';
  return 'redis';
}

/** CPU seconds per group of server processes (NaN for a group that does not exist in the topology). */
export function cpuByGroup(server: ProcFigures): Record<Group, number> {
  const out: Record<Group, number> = { gs: NaN, es: NaN, redis: NaN, nginx: NaN, pg: NaN };
  for (const [name, f] of Object.entries(server)) {
    const g = groupOf(name);
    out[g] = (Number.isFinite(out[g]) ? out[g] : 0) + (Number.isFinite(f.cpuSec) ? f.cpuSec : 0);
  }
  return out;
}

/** CPU seconds of the game-server (or local), event-stream and everything else but Postgres (redis, nginx): the old columns. */
export function cpuCols(server: ProcFigures): string[] {
  const c = cpuByGroup(server);
  const other = (Number.isFinite(c.redis) ? c.redis : 0) + (Number.isFinite(c.nginx) ? c.nginx : 0);
  return [fmt(c.gs, 2), fmt(c.es, 2), fmt(other, 2)];
}

export function rssCols(server: ProcFigures): string[] {
  const gs = Object.entries(server).find(([n]) => GS.includes(n))?.[1];
  return [fmt(gs?.peakRssMiB, 0), fmt(server['event-stream']?.peakRssMiB, 0)];
}

/** Server CPU seconds; the old figure (`withPostgres` false) leaves the Postgres backends out. */
export function serverCpuTotal(server: ProcFigures, withPostgres = false): number {
  return Object.entries(server)
    .filter(([n]) => withPostgres || n !== PG)
    .reduce((a, [, f]) => a + (Number.isFinite(f.cpuSec) ? f.cpuSec : 0), 0);
}

/** Milliseconds of CPU per move: game-server, event-stream, redis, nginx, Postgres backends, and all of them. */
export function perMoveCols(server: ProcFigures, moves: number): string[] {
  const c = cpuByGroup(server);
  const per = (s: number) => (moves ? (s * 1000) / moves : NaN);
  const xacts = server[PG]?.xacts;
  const xactsPerMove = moves && xacts !== undefined ? xacts / moves : NaN;
  return [...[per(c.gs), per(c.es), per(c.redis), per(c.nginx), per(c.pg)].map((v) => fmt(v, 2)), fmt(xactsPerMove, 2), fmt(per(serverCpuTotal(server, true)), 2)];
}

export const CPU_HEADERS = ['gs cpu s', 'es cpu s', 'other cpu s'];
/** `pg xact/mv`: transactions (≈ statements, each a round trip) the bench database ran per move. */
export const PER_MOVE_HEADERS = ['gs ms/mv', 'es ms/mv', 'redis ms/mv', 'nginx ms/mv', 'pg ms/mv', 'pg xact/mv', 'TOTAL ms/mv'];
export const RSS_HEADERS = ['gs MiB', 'es MiB'];
