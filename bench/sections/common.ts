// Helpers shared by the scenario sections: per-process CPU/RSS columns.
import { fmt } from '../lib/stats.js';

export type ProcFigures = Record<string, { cpuSec: number; peakRssMiB: number; hwmMiB: number }>;

const GS = ['game-server', 'local'];

/** CPU seconds of the game-server (or local), event-stream and everything else (redis, nginx). */
export function cpuCols(server: ProcFigures): string[] {
  let gs = NaN;
  let es = NaN;
  let other = 0;
  for (const [name, f] of Object.entries(server)) {
    if (GS.includes(name)) gs = f.cpuSec;
    else if (name === 'event-stream') es = f.cpuSec;
    else other += f.cpuSec;
  }
  return [fmt(gs, 2), fmt(es, 2), fmt(other, 2)];
}

export function rssCols(server: ProcFigures): string[] {
  const gs = Object.entries(server).find(([n]) => GS.includes(n))?.[1];
  return [fmt(gs?.peakRssMiB, 0), fmt(server['event-stream']?.peakRssMiB, 0)];
}

export function serverCpuTotal(server: ProcFigures): number {
  return Object.values(server).reduce((a, f) => a + (Number.isFinite(f.cpuSec) ? f.cpuSec : 0), 0);
}

export const CPU_HEADERS = ['gs cpu s', 'es cpu s', 'other cpu s'];
export const RSS_HEADERS = ['gs MiB', 'es MiB'];
