#!/usr/bin/env node
// Runs `npm run build` when a build output the tests (or `npm start`) need is missing or
// older than its sources, so `npm test` on a fresh clone or after an edit exercises the
// current code. CI builds first, so there this is a quick no-op check.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => path.join(root, p);

/** Newest mtime (ms) of the files under the given folders, skipping build/dependency dirs. */
function newest(dirs) {
  let max = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.next' || entry.name === 'dist') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else max = Math.max(max, statSync(full).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(at(d))) walk(at(d));
  return max;
}

const outputs = [
  { out: 'server/dist/game-server.js', sources: ['server/src', 'packages/shared/src'] },
  { out: 'web/.next/standalone/web/server.js', sources: ['web/app', 'web/src', 'packages/shared/src'] },
];
const stale = outputs.filter(({ out, sources }) => {
  if (!existsSync(at(path.dirname(out).split('/')[0] + '/package.json'))) return false;
  return !existsSync(at(out)) || statSync(at(out)).mtimeMs < newest(sources);
});

if (stale.length === 0) process.exit(0);
console.log(`[ensure-build] ${stale.map((s) => s.out).join(', ')} missing or older than sources: npm run build`);
const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
process.exit(built.status ?? 1);
