#!/usr/bin/env node
// `npm run stack`: the docker-compose topology without Docker, on loopback (see
// docs/containers.md). Needs `npm run build` first, plus nginx, redis-server and
// Postgres binaries on the machine.
//
//   npm run stack                 start, print URLs, Ctrl-C stops everything
//   npm run stack -- --detach     start and return; services keep running
//   npm run stack -- stop         stop a running stack (by its recorded pids)
//   npm run stack -- status       print the running stack's URLs and pids
//   npm run stack -- --production the production-shaped stack (issue 25): an ALB + WAF
//                                 stand-in in front, web -> game-server by an internal
//                                 address, two replicas of each service (docs/operations.md)
// Options: --port N (the front; default a free port), --state DIR (default .stack/),
// --replicas N, --wiring public (production only: web's GAME_SERVER_URL is the public URL,
// as before issue 25), --waf-window S (the WAF stand-in's window, default 60 s),
// env STACK_DATABASE_URL / STACK_REDIS_URL to use an existing Postgres / Redis.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startStack, stopStackFromState, stackState, REPO_ROOT } from './stack/index.mjs';
import { isAlive, stopPid } from './stack/procs.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    state: { type: 'string' },
    detach: { type: 'boolean', default: false },
    production: { type: 'boolean', default: false },
    wiring: { type: 'string' },
    replicas: { type: 'string' },
    'waf-window': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const command = positionals[0] ?? 'start';
const stateDir = path.resolve(values.state ?? path.join(REPO_ROOT, '.stack'));
const say = (line) => console.log(`[stack] ${line}`);

if (values.help || !['start', 'stop', 'status'].includes(command)) {
  console.log('usage: npm run stack [-- start|stop|status] [--detach] [--port N] [--state DIR] [--production [--wiring internal|public] [--waf-window S]] [--replicas N]');
  process.exit(values.help ? 0 : 2);
}

if (command === 'status') {
  const state = stackState(stateDir);
  if (!state) {
    say(`no stack recorded in ${stateDir}`);
    process.exit(1);
  }
  for (const [name, pid] of Object.entries(state.pids)) say(`${name.padEnd(13)} pid ${pid} ${isAlive(pid) ? 'running' : 'GONE'}`);
  say(`open ${state.urls.base}`);
  process.exit(0);
}

if (command === 'stop') {
  const state = stackState(stateDir);
  if (!state) {
    say(`no stack recorded in ${stateDir}`);
    process.exit(0);
  }
  // A foreground supervisor stops its services itself, in order; ask it first.
  if (state.supervisor && state.supervisor !== process.pid && isAlive(state.supervisor)) {
    await stopPid(state.supervisor, { signal: 'SIGTERM', graceMs: 30_000, expect: /stack\.mjs/ });
  }
  for (const [name, pid, how] of await stopStackFromState(stateDir)) say(`${name} (pid ${pid}): ${how}`);
  say('stopped');
  process.exit(0);
}

let stack;
try {
  stack = await startStack({
    stateDir,
    nginxPort: values.port ? Number(values.port) : undefined,
    detach: values.detach,
    production: values.production,
    wiring: values.wiring,
    replicas: values.replicas ? Number(values.replicas) : undefined,
    wafWindowSeconds: values['waf-window'] ? Number(values['waf-window']) : undefined,
    log: say,
  });
} catch (err) {
  console.error(`[stack] ${err.message}`);
  process.exit(1);
}

const u = stack.urls;
say(`Monkeytown is up (${values.production ? `production-shaped, web -> game-server ${values.wiring === 'public' ? 'through the PUBLIC url (before issue 25)' : 'by its internal address'}` : 'the compose topology'} on loopback):`);
say(`  site (${values.production ? 'ALB + WAF' : 'nginx'})${values.production ? '' : '  '} ${u.base}`);
if (u.internal) say(`  game-server (internal, Service Connect stand-in) ${u.internal}`);
say(`  websocket      ${u.ws}`);
say(`  web            ${u.web}`);
say(`  game-server    ${u.gameServer}   (${u.gameServer}/api/docs)`);
say(`  event-stream   ${u.eventStream}`);
say(`  postgres       ${u.database}`);
say(`  redis          ${u.redis}`);
say(`  logs           ${path.join(stack.stateDir, 'logs')}`);

if (values.detach) {
  say('detached: `npm run stack -- stop` stops it');
  process.exit(0);
}
say('Ctrl-C stops everything');

let stopping = false;
async function shutdown(reason) {
  if (stopping) return;
  stopping = true;
  say(`${reason}: stopping`);
  await stack.stop();
  say('stopped');
  process.exit(0);
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
// Keep the supervisor alive while the services run.
setInterval(() => {}, 1 << 30);
