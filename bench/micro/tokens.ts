// Micro-benchmark of bearer-token verification (TokenService.verify), the first thing
// every ★ request does: `npx tsx bench/micro/tokens.ts`. 200 players' tokens, each
// verified many times, as a game's requests do; CPU per verify in this process.
import { TokenService } from '../../server/src/auth/tokens.js';
import { summarize, fmt } from '../lib/stats.js';

const svc = new TokenService('bench-secret-that-is-at-least-32-characters!');
const tokens = await Promise.all(Array.from({ length: 200 }, (_, i) => svc.sign(`5b7c2a55-0000-4000-8000-${String(i).padStart(12, '0')}`)));
const runs: number[] = [];
for (let run = 0; run < 5; run++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const n = 20_000;
  // 50 in flight at a time, like concurrent requests.
  for (let i = 0; i < n; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, k) => svc.verify(tokens[(i + k) % tokens.length]!)));
  }
  const c = process.cpuUsage(c0);
  runs.push(((c.user + c.system) / n)); // µs CPU per verify
  console.log(`run ${run + 1}: ${fmt((n / (performance.now() - t0)) * 1000, 0)} verifies/s, ${fmt((c.user + c.system) / n, 2)} µs CPU per verify`);
}
const s = summarize(runs);
console.log(`median-ish p50 ${fmt(s.p50, 2)} µs CPU per verify (min ${fmt(Math.min(...runs), 2)})`);
