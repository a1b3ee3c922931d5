// After `next build`: make .next/standalone runnable as is (ERRATA 4). The standalone tree
// keeps the monorepo layout (web/server.js), and Next does not copy static assets into it.
import { cpSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
const standaloneWeb = `${web}.next/standalone/web`;
if (!existsSync(`${standaloneWeb}/server.js`)) {
  console.error(`copy-standalone-assets: ${standaloneWeb}/server.js missing (is output: 'standalone' set?)`);
  process.exit(1);
}
cpSync(`${web}.next/static`, `${standaloneWeb}/.next/static`, { recursive: true });
if (existsSync(`${web}public`)) cpSync(`${web}public`, `${standaloneWeb}/public`, { recursive: true });
console.log('copy-standalone-assets: static assets copied into .next/standalone/web');
