import { fmt, median } from '../lib/stats.js';
import { printTable } from '../lib/table.js';
import { runColdStart, runColdStartQuick, type ColdStartResult } from '../scenarios/cold-start.js';
import type { Opts } from '../run.js';
import { observedStarts } from '../lib/infra.js';

export async function coldStart(opts: Opts): Promise<ColdStartResult[]> {
  // Quick mode reuses the starts other scenarios made; alone, it times one start of each.
  const results = opts.quick && observedStarts.length ? await runColdStartQuick(opts.hasPostgres) : await runColdStart(opts.quick ? 1 : 3, opts.hasPostgres);
  printTable('Cold start: process spawn → /health/ready 200 (ms)',
    ['service', 'variant', 'runs', 'median', 'min', 'max'],
    results.map((r) => [r.service, r.variant, r.runsMs.length, fmt(median(r.runsMs), 0), fmt(Math.min(...r.runsMs), 0), fmt(Math.max(...r.runsMs), 0)]));
  return results;
}
