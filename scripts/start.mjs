#!/usr/bin/env node
// `npm start`: runs Monkeytown locally with embedded defaults (PGlite under ./.data,
// in-process event bus) — the API and event stream in one process on :3001/:8080 and
// the web front end on :3000. Builds first when needed. Ctrl-C stops all.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => path.join(root, ...p);

const serverEntry = at('server/dist/local.js');
const hasWeb = existsSync(at('web/package.json'));
const webEntry = at('web/.next/standalone/web/server.js');

// Builds when a build is missing or older than its sources (the first start takes a
// minute or two; later starts skip it).
const built = spawnSync(process.execPath, [at('scripts/ensure-build.mjs')], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const apiPort = process.env.PORT ?? '3001';
const streamPort = process.env.EVENT_STREAM_PORT ?? '8080';
const webPort = process.env.WEB_PORT ?? '3000';
const children = [];

function run(name, args, env) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  child.on('exit', (code, signal) => {
    console.log(`[start] ${name} exited (${signal ?? code})`);
    shutdown(code ?? 1);
  });
  children.push(child);
}

run('api', [serverEntry], { PORT: apiPort, EVENT_STREAM_PORT: streamPort });
if (hasWeb && existsSync(webEntry)) {
  run('web', [webEntry], {
    PORT: webPort,
    HOSTNAME: process.env.HOSTNAME_WEB ?? '127.0.0.1',
    GAME_SERVER_URL: `http://127.0.0.1:${apiPort}`,
    EVENT_STREAM_PUBLIC_URL: process.env.EVENT_STREAM_PUBLIC_URL ?? `ws://localhost:${streamPort}/ws`,
  });
  console.log(`[start] Monkeytown: http://localhost:${webPort}  (API :${apiPort}, events :${streamPort})`);
} else {
  console.log(`[start] Monkeytown API: http://localhost:${apiPort}/api/docs  (events :${streamPort})`);
}

let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(children.map((c) => c.exitCode !== null || new Promise((r) => c.on('exit', r)))).then(() =>
    process.exit(code),
  );
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
