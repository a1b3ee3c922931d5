// `npx tsx bench/web/run.ts [--quick] [--runs N]`: the web front end's figures.
//  1. First-load JavaScript per route, from the Next build (web/.next).
//  2. Navigation → interactive board (cold and warm) in Chromium against a stack started
//     by the browser-test harness (own database on TEST_DATABASE_URL, own Redis), or
//     against E2E_BASE_URL when set. Loopback, 2 shared cores: compare ratios, not absolutes.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../../e2e/harness/browser.js';
import { REPO_ROOT, startBrowserStack } from '../../e2e/harness/stack.js';
import { fmt, summarize } from '../lib/stats.js';
import { printTable } from '../lib/table.js';
import { firstLoadJs } from './bundle.js';
import { measureNavigation, type NavSample } from './interactive.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'bundle-only': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs ?? (values.quick ? 4 : 15));
const kb = (b: number) => (b / 1024).toFixed(1);

const routes = firstLoadJs(path.join(REPO_ROOT, 'web'));
printTable(
  'First-load JS per route (Next build, gzip -6; polyfills excluded)',
  ['route', 'files', 'raw KiB', 'gzip KiB', 'route-own gzip KiB'],
  routes.map((r) => [r.route, r.files, kb(r.rawBytes), kb(r.gzipBytes), kb(r.ownGzipBytes)]),
  ['route-own = beyond the root chunks every page shares (React, Next runtime)'],
);
if (values['bundle-only']) process.exit(0);

const databaseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? '';
if (!databaseUrl && !process.env.E2E_BASE_URL) {
  console.error('navigation timings need TEST_DATABASE_URL (or E2E_BASE_URL); use --bundle-only for the first table');
  process.exit(2);
}
const stack = await startBrowserStack(databaseUrl);
const browser = await launchBrowser();
try {
  const rows: (string | number)[][] = [];
  for (const type of ['tictactoe', 'connect4'] as const) {
    const { cold, warm } = await measureNavigation(browser, stack.baseUrl, type, runs);
    for (const [label, samples] of [['cold', cold], ['warm', warm]] as [string, NavSample[]][]) {
      const s = (k: keyof NavSample) => summarize(samples.map((x) => x[k]));
      rows.push([
        `${type} ${label}`,
        samples.length,
        fmt(s('ttfb').p50),
        fmt(s('fcp').p50),
        fmt(s('domContentLoaded').p50),
        fmt(s('interactive').p50),
        fmt(s('interactive').p95),
        kb(s('jsBytes').p50),
        s('cls').max.toFixed(3),
      ]);
    }
  }
  printTable(
    `Navigation → interactive board, ms from navigation start (${stack.mode} stack, loopback, ${runs} runs)`,
    ['page', 'n', 'TTFB p50', 'FCP p50', 'DCL p50', 'interactive p50', 'interactive p95', 'JS KiB over wire p50', 'CLS max'],
    rows,
    ['interactive = first legal move marked on the board (hydrated, session read); CLS = layout shift while loading (good < 0.1)', 'warm = reload with cached chunks; JS over the wire counts transfer bytes (0 when cached)'],
  );
} finally {
  await browser.close();
  await stack.stop();
}
