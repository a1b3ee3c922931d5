#!/usr/bin/env node
// Builds server/dist: one ESM bundle per src/bin/*.ts entry (game-server, event-stream,
// local, ...) plus the AI worker (dist/ai-worker.js), and copies the SQL migrations to
// dist/migrations. The workspace package @monkeytown/shared is bundled in (it ships
// TypeScript source); every other package stays external and is loaded from
// node_modules at runtime.
import { build } from 'esbuild';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

const entryPoints = {
  ...Object.fromEntries(
    readdirSync(path.join(src, 'bin'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => [f.slice(0, -3), path.join(src, 'bin', f)]),
  ),
  'ai-worker': path.join(src, 'ai', 'worker.ts'),
};

/** Bare imports stay external, except the workspace's own packages. */
const externalizeNodeModules = {
  name: 'externalize-node-modules',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@monkeytown/')) return undefined; // bundle
      if (args.kind === 'entry-point') return undefined;
      return { path: args.path, external: true };
    });
  },
};

rmSync(dist, { recursive: true, force: true });
const result = await build({
  entryPoints,
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
  plugins: [externalizeNodeModules],
  // Bundled CommonJS-style code may call require(): give ESM output one.
  banner: { js: "import { createRequire as __mtCreateRequire } from 'node:module'; const require = __mtCreateRequire(import.meta.url);" },
});
cpSync(path.join(src, 'db', 'migrations'), path.join(dist, 'migrations'), { recursive: true });

const outputs = Object.entries(result.metafile.outputs)
  .filter(([f]) => f.endsWith('.js'))
  .map(([f, o]) => `${path.relative(root, f)} ${(o.bytes / 1024).toFixed(0)} KiB`);
console.log(`server build: ${outputs.join(', ')} + migrations`);
