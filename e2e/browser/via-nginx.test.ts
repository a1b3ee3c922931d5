// The production shape: one origin (nginx) for the page, /api and /ws, as in compose and
// on AWS. A game against the troop is played to the end, surviving an event-stream kill.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newVisitor } from '../harness/browser.js';
import { requireTestBackends, startBrowserStack, type BrowserStack } from '../harness/stack.js';
import { connection, discCount, nameYourself, playTicTacToeMove, playTicTacToeToEnd, startGame, waitTurnOrEnd } from './helpers.js';

const env = requireTestBackends();
if ('skip' in env) console.warn(`[browser tests] skipped: ${env.skip}`);
// E2E_BASE_URL points every file at one external stack; this file is about our own nginx.
const external = Boolean(process.env.E2E_BASE_URL);

describe.skipIf('skip' in env || external)('through nginx (same-origin /api and /ws)', () => {
  let stack: BrowserStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startBrowserStack((env as { databaseUrl: string }).databaseUrl, { via: 'nginx' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('plays against the troop over nginx and recovers from an event-stream restart', async () => {
    const { page, errors, context } = await newVisitor(browser, stack.baseUrl);
    const wsUrls: string[] = [];
    page.on('websocket', (ws) => wsUrls.push(ws.url()));
    await nameYourself(page, 'Nginx Ned');
    await startGame(page, 'tictactoe', 'strategistape');
    await expect.poll(() => connection(page).getAttribute('data-state')).toBe('open');
    // The page found the stream on its own origin: no per-environment URL was configured.
    expect(wsUrls.length).toBeGreaterThan(0);
    for (const u of wsUrls) expect(new URL(u).host).toBe(new URL(stack.baseUrl).host);

    expect(await waitTurnOrEnd(page)).toBe('turn');
    await playTicTacToeMove(page);
    expect(await waitTurnOrEnd(page)).toBe('turn');
    await stack.killEventStream();
    await expect.poll(() => connection(page).getAttribute('data-state'), { timeout: 10_000 }).toBe('reconnecting');
    const before = await discCount(page);
    await playTicTacToeMove(page);
    await expect.poll(() => discCount(page)).toBe(before + 1);
    await stack.startEventStream();
    await expect.poll(() => connection(page).getAttribute('data-state'), { timeout: 20_000 }).toBe('open');
    if ((await waitTurnOrEnd(page, 20_000)) === 'turn') await playTicTacToeToEnd(page);
    await page.locator('.result-banner').waitFor();
    expect(await page.locator('.move-list li').count()).toBe(await discCount(page));
    expect(errors).toEqual([]);
    await context.close();
  });
});
