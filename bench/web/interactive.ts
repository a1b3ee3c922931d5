// Navigation → interactive board, measured inside Chromium on loopback. "Interactive" is
// the moment the board first marks a legal move for the player: that happens only after
// hydration and the session being read, i.e. when a click would play. Cold = a fresh
// browser context (empty cache); warm = reloading the same page (cached chunks).
import type { Browser } from 'playwright-core';
import { newVisitor } from '../../e2e/harness/browser.js';

export interface NavSample {
  ttfb: number;
  fcp: number;
  domContentLoaded: number;
  interactive: number;
  jsBytes: number;
  /** Cumulative layout shift up to the sample (0 = nothing moved). */
  cls: number;
}

const SESSION_KEY = 'monkeytown.session.v1';

// Runs before any page script: note when the first legal move appears on the board, and
// add up layout shifts (CLS) while the page loads and hydrates.
const WATCH = `
  window.__cls = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
  new MutationObserver((_, obs) => {
    if (document.querySelector('[data-legal]')) { window.__interactiveAt = performance.now(); obs.disconnect(); }
  }).observe(document, { subtree: true, childList: true, attributes: true });
`;

async function post<T>(base: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${base}/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A guest with a game where it is their move (seat 0 moves first). */
export async function prepareGame(base: string, type: 'tictactoe' | 'connect4') {
  const { player, token } = await post<{ player: { id: string; name: string }; token: string }>(base, '/players', { name: `bench-${type}` });
  const { game } = await post<{ game: { id: string } }>(base, '/games', { type, opponent: { kind: 'agent', agentId: 'mentororangutan' }, seat: 0, rated: false }, token);
  return { gameId: game.id, session: { playerId: player.id, name: player.name, token } };
}

async function sample(page: import('playwright-core').Page): Promise<NavSample> {
  await page.waitForFunction(() => (window as unknown as { __interactiveAt?: number }).__interactiveAt !== undefined, undefined, { timeout: 30_000 });
  await page.waitForTimeout(300); // let late shifts (fonts, live data) land in the CLS sum
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    const js = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js'))
      .reduce((a, r) => a + (r.transferSize || 0), 0);
    return {
      ttfb: nav.responseStart,
      fcp,
      domContentLoaded: nav.domContentLoadedEventEnd,
      interactive: (window as unknown as { __interactiveAt: number }).__interactiveAt,
      jsBytes: js,
      cls: (window as unknown as { __cls: number }).__cls,
    };
  });
}

export async function measureNavigation(browser: Browser, base: string, type: 'tictactoe' | 'connect4', runs: number): Promise<{ cold: NavSample[]; warm: NavSample[] }> {
  const { gameId, session } = await prepareGame(base, type);
  const cold: NavSample[] = [];
  const warm: NavSample[] = [];
  for (let i = 0; i < runs; i++) {
    const { context, page } = await newVisitor(browser, base);
    await context.addInitScript(({ key, value }) => window.localStorage.setItem(key, value), { key: SESSION_KEY, value: JSON.stringify(session) });
    await context.addInitScript(WATCH);
    await page.goto(`/games/${gameId}`);
    cold.push(await sample(page));
    await page.reload();
    warm.push(await sample(page));
    await context.close();
  }
  return { cold, warm };
}
