// Issue 25, acceptance 1: the production-shaped stack (`npm run stack -- --production`:
// an ALB + WAF stand-in with waf.tf's per-IP rate rule, web -> game-server by its internal
// address, the game-server's per-IP limiter on at its default) serves 30 lobby renders a
// second from 30 client addresses for 60 s without an error, and limits the same load
// from one address. The wiring before issue 25 (web's GAME_SERVER_URL = the public URL:
// every render's API calls reach the WAF and the limiter as web's one address), run the
// same way, fails the first half. Prints the figures (docs/operations.md quotes them).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { missingArtifacts, missingTools, startStack, type Stack } from '../../scripts/stack/index.mjs';
import { wafBucket } from '../../scripts/stack/alb.mjs';
import { clientAddresses, describeLoad, lobbyLoad } from './lobby-load.js';
import { prerequisites } from './support.js';

const runnable = prerequisites('production-shaped stack under load', [...missingTools(), ...missingArtifacts()]);
const PER_SECOND = 30;
const SECONDS = 60;
/** Long enough for the old wiring to be refused: web's one address passes 600 API calls a minute in ~5 s. */
const SHORT_SECONDS = 15;

/**
 * The API calls web's renders made, from the front's access log, counted by listener
 * (`internal`: the Service Connect stand-in, `public`: the ALB) and status.
 */
function renderCalls(stack: Stack): Record<string, number> {
  const log = path.join(stack.stateDir, 'nginx', 'logs', 'front-access.log');
  const counts: Record<string, number> = {};
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    if (!line) continue;
    const entry = JSON.parse(line) as { listener: string; client: string; request: string; status: number };
    // Renders come from web (127.0.0.1); the load's own requests from 127.0.2.x / 127.0.3.x.
    if (entry.client !== '127.0.0.1' || !entry.request.startsWith('GET /api/')) continue;
    const key = `${entry.listener === String(stack.ports.internal) ? 'internal' : 'public'} ${entry.status}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe.runIf(runnable)('production-shaped stack: lobby renders under load', () => {
  let stack: Stack | undefined;
  let stateDir = '';
  const start = async (wiring: 'internal' | 'public') => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), `mt-prod-${wiring}-`));
    stack = await startStack({ stateDir, production: true, wiring, env: { LOG_LEVEL: 'warn' } });
    return stack;
  };
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
    rmSync(stateDir, { recursive: true, force: true });
  });

  it(`new wiring: ${PER_SECOND} renders/s from ${PER_SECOND} addresses for ${SECONDS} s, no error; from one address, limited`, async () => {
    const { urls } = await start('internal');
    const spread = await lobbyLoad({ base: urls.base, addresses: clientAddresses(PER_SECOND), perSecond: PER_SECOND, seconds: SECONDS });
    console.log(describeLoad(`internal name, ${PER_SECOND} addresses, ${SECONDS} s`, spread));
    const calls = renderCalls(stack!);
    console.log(`[lobby-load] the renders' API calls through the Service Connect stand-in: ${JSON.stringify(calls)}`);
    expect(spread.samples).toEqual([]);
    expect({ errors: spread.errors, notReachable: spread.notReachable, limited: spread.limited }).toEqual({ errors: 0, notReachable: 0, limited: 0 });
    expect(spread.ok).toBe(PER_SECOND * SECONDS);
    // web -> game-server stayed inside (no render call through the ALB), all answered.
    expect(calls).toEqual({ 'internal 200': 4 * PER_SECOND * SECONDS });

    const one = await lobbyLoad({ base: urls.base, addresses: ['127.0.3.1'], perSecond: PER_SECOND, seconds: SHORT_SECONDS });
    console.log(describeLoad(`internal name, ONE address, ${SHORT_SECONDS} s`, one));
    expect(one.errors).toBe(0);
    // The app's limit (600 a minute, four calls a render) refuses that one address in ~5 s.
    expect(one.limited).toBeGreaterThan(one.sent / 2);
  }, 240_000);

  it(`old wiring (GAME_SERVER_URL = the public URL): the same ${PER_SECOND}-address load is refused`, async () => {
    const { urls } = await start('public');
    const spread = await lobbyLoad({ base: urls.base, addresses: clientAddresses(PER_SECOND), perSecond: PER_SECOND, seconds: SHORT_SECONDS });
    console.log(describeLoad(`public URL, ${PER_SECOND} addresses, ${SHORT_SECONDS} s`, spread));
    console.log(`[lobby-load] the renders' API calls (WAF stand-in: ${JSON.stringify(wafBucket())}): ${JSON.stringify(renderCalls(stack!))}`);
    // Every player's render counts as web's single address: after a few seconds the
    // players see refusals, though each of them is far below every limit.
    expect(spread.limited + spread.notReachable + spread.errors).toBeGreaterThan(spread.sent / 4);
    const calls = renderCalls(stack!);
    expect(Object.keys(calls).every((k) => k.startsWith('public '))).toBe(true);
    expect((calls['public 403'] ?? 0) + (calls['public 429'] ?? 0)).toBeGreaterThan(0);
  }, 240_000);
});
