// What the game-server's access log costs per request (issue 28): the same Fastify app,
// answering GET /x through inject, with ACCESS_LOG=all (a pino line per request) and
// with 'summary' (failures and slow requests whole, the rest counted), logging to an
// asynchronous file destination as the game-server does (http/log.ts). CPU per request
// from process.cpuUsage; rounds alternate so machine load falls on both alike.
// `npx tsx bench/micro/access-log.ts`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { LogController } from 'fastify';
import { pino } from 'pino';
import { accessLog } from '../../server/src/http/log.js';
import { fmt, median } from '../lib/stats.js';

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const REQUESTS = 3_000; // inject keeps ~10 KB per request here whatever the log does: rounds stay small
const dir = mkdtempSync(path.join(tmpdir(), 'mt-access-log-'));

async function appWith(mode: 'all' | 'summary' | 'none') {
  const stream = pino.destination({ dest: path.join(dir, `${mode}.log`), sync: false, minLength: 8192 });
  const app = Fastify({ logger: { level: 'info', stream }, logController: new LogController({ disableRequestLogging: true }) });
  const access = mode === 'none' ? null : accessLog(app.log, { mode, slowMs: 500 });
  app.addHook('onResponse', (req, reply, done) => {
    access?.record(req, reply);
    done();
  });
  app.get('/x', async () => ({ ok: true }));
  await app.ready();
  return { app, close: async () => { access?.close(); await app.close(); } };
}

const apps = { none: await appWith('none'), all: await appWith('all'), summary: await appWith('summary') };
const us: Record<string, number[]> = { none: [], all: [], summary: [] };
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [mode, { app }] of Object.entries(apps)) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < REQUESTS; i++) await app.inject({ method: 'GET', url: '/x', remoteAddress: '203.0.113.7' });
      const c = process.cpuUsage(c0);
      us[mode]!.push((c.user + c.system) / REQUESTS);
      if (process.env.DEBUG_MEM) console.log(round, mode, Math.round(process.memoryUsage().rss / 2 ** 20), "MiB");
    }
  }
  console.log(`CPU per request through inject (median of ${ROUNDS} alternating rounds of ${REQUESTS}; the log's cost: median of each round's difference to no log):`);
  for (const [mode, s] of Object.entries(us)) {
    const extra = median(s.map((x, i) => x - us.none![i]!));
    console.log(`  ${mode.padEnd(8)} ${fmt(median(s), 2)} µs  (log: ${fmt(extra, 2)} µs)  runs: ${s.map((x) => fmt(x, 1)).join(', ')}`);
  }
} finally {
  for (const a of Object.values(apps)) await a.close();
  rmSync(dir, { recursive: true, force: true });
}
