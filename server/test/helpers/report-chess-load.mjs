// `node --import ./report-chess-load.mjs ...`: prints "module loaded: chess.js" on stderr
// when the process (or a worker) loads chess.js, so a test can see when that happens.
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
export async function load(url, context, next) {
  if (url.includes('/chess.js/')) process.stderr.write('module loaded: chess.js\\n');
  return next(url, context);
}`));
