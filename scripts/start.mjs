#!/usr/bin/env node
// `npm start`: runs Monkeytown locally with embedded defaults (PGlite under ./.data,
// in-process event bus): the API and event stream in one process, the web front end in
// another. Loopback only unless HOST says otherwise. Builds first when needed. Ctrl-C
// stops all.
//
//   PORT (3000) the site · API_PORT (3001) · EVENTS_PORT (8080) · HOST (127.0.0.1;
//   0.0.0.0 to let other machines in) · LOG_LEVEL (warn; info adds request logs)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { portsFromEnv, probePort, takenMessage } from './start/ports.mjs';
import { pipeOutput } from './start/output.mjs';
import { dataDirHolder, lockedMessage } from './start/data-lock.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => path.join(root, ...p);
const env = process.env;

const fail = (msg) => {
  console.error(`✖ ${msg}`);
  process.exit(1);
};

let ports;
try {
  ports = portsFromEnv(env);
} catch (err) {
  fail(err.message);
}
const [site, apiPort, eventsPort] = ports;
const host = env.HOST || '127.0.0.1';
const logLevel = env.LOG_LEVEL || 'warn';
const probeHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
const shown = host === '127.0.0.1' || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
for (const old of ['WEB_PORT', 'EVENT_STREAM_PORT']) {
  if (env[old]) console.log(`warn  ${old} is not read any more: PORT is the site's port, API_PORT the API's, EVENTS_PORT the event stream's`);
}

// Builds when a build is missing or older than its sources (the first start takes a
// minute or two; later starts skip it).
const built = spawnSync(process.execPath, [at('scripts/ensure-build.mjs')], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const hasWeb = existsSync(at('web/.next/standalone/web/server.js'));
// Everything that stops the start, named at once: every taken port and a data directory
// another Monkeytown holds (not one per attempt).
const problems = [];
const taken = [];
for (const p of hasWeb ? ports : [apiPort, eventsPort]) {
  const code = await probePort(p.port, host);
  if (code) {
    problems.push(takenMessage(p, code));
    taken.push(p);
  }
}
const dataDir = path.resolve(root, env.DATA_DIR || './.data');
const holder = env.DATABASE_URL ? null : dataDirHolder(dataDir);
if (holder) problems.push(lockedMessage(env.DATA_DIR || './.data', holder));
if (problems.length) {
  for (const p of problems) console.error(`✖ ${p}`);
  if (taken.length > 1) console.error(`  e.g. ${taken.map((p) => `${p.variable}=${p.port + 100}`).join(' ')} npm start`);
  process.exit(1);
}

const children = [];
let stopping = false;

function run(service, args, childEnv, portInfo) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, ...childEnv } });
  let inUse = false;
  pipeOutput(service, child, { requestLogs: ['info', 'debug', 'trace'].includes(logLevel) }, (line) => {
    if (line.includes('EADDRINUSE')) inUse = true;
  });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    if (inUse) for (const p of portInfo) console.error(`✖ ${takenMessage(p, 'EADDRINUSE')}`);
    console.error(`✖ ${service} stopped (${signal ?? `exit ${code}`}); stopping Monkeytown`);
    shutdown(code || 1);
  });
  children.push(child);
}

// Heap flags as the server image sets them (deploy/docker/Dockerfile.server).
const nodeOptions = [env.NODE_OPTIONS, '--max-semi-space-size=16'].filter(Boolean).join(' ');
run('api', [at('server/dist/local.js')], {
  PORT: String(apiPort.port),
  EVENT_STREAM_PORT: String(eventsPort.port),
  HOST: host,
  LOG_LEVEL: logLevel,
  NODE_OPTIONS: nodeOptions,
  // Game records (PGN) link back to the game on the site this start serves.
  PUBLIC_URL: env.PUBLIC_URL || `http://${shown}:${site.port}`,
}, [apiPort, eventsPort]);
if (hasWeb) {
  run('site', [at('web/.next/standalone/web/server.js')], {
    PORT: String(site.port),
    HOSTNAME: host,
    GAME_SERVER_URL: `http://127.0.0.1:${apiPort.port}`,
    // Port-only: the browser opens the event stream on the host it loaded the page from.
    EVENT_STREAM_PUBLIC_URL: env.EVENT_STREAM_PUBLIC_URL ?? `:${eventsPort.port}/ws`,
  }, [site]);
}

async function whenLive(url) {
  for (;;) {
    if (stopping) return false;
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
const ready = [
  whenLive(`http://${probeHost}:${apiPort.port}/health/live`).then((ok) => ok && console.log(`✓ api     http://${shown}:${apiPort.port}/api  (docs: /api/docs; data: ${env.DATABASE_URL ? 'DATABASE_URL' : env.DATA_DIR || './.data'})`)),
  whenLive(`http://${probeHost}:${eventsPort.port}/health/live`).then((ok) => ok && console.log(`✓ events  ws://${shown}:${eventsPort.port}/ws`)),
];
if (hasWeb) ready.push(whenLive(`http://${probeHost}:${site.port}/health`));
await Promise.all(ready);
if (!stopping) {
  if (hasWeb) console.log(`✓ site    http://${shown}:${site.port}  ← Monkeytown is ready`);
  console.log(
    host === '127.0.0.1' || host === 'localhost'
      ? '  Only this machine can connect (HOST=0.0.0.0 npm start lets others in). Ctrl-C stops.'
      : `  Listening on ${host}: other machines can connect. Ctrl-C stops.`,
  );
}

function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(children.map((c) => c.exitCode !== null || new Promise((r) => c.on('exit', r)))).then(() => process.exit(code));
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
