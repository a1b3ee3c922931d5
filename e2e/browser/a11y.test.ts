/// <reference lib="dom" />
// Accessibility in a real browser: axe-core audits the main pages (WCAG 2 A/AA rules), and
// a game is played with the keyboard alone.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newVisitor } from '../harness/browser.js';
import { requireTestBackends, startBrowserStack, type BrowserStack } from '../harness/stack.js';
import { audit, discCount, nameYourself, startGame, turnStatus, waitTurnOrEnd } from './helpers.js';

const env = requireTestBackends();
if ('skip' in env) console.warn(`[browser tests] skipped: ${env.skip}`);
describe.skipIf('skip' in env)('accessibility', () => {
  let stack: BrowserStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startBrowserStack((env as { databaseUrl: string }).databaseUrl);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('lobby, game, replay, troop and leaderboard have no serious WCAG A/AA violations', async () => {
    const { page, context } = await newVisitor(browser, stack.baseUrl);
    await page.goto('/');
    await page.getByRole('dialog').waitFor();
    expect(await audit(page)).toEqual([]); // with the first-visit dialog open
    await nameYourself(page, 'Axe');
    expect(await audit(page)).toEqual([]);
    const id = await startGame(page, 'connect4', 'speedygibbon');
    expect(await waitTurnOrEnd(page)).toBe('turn');
    expect(await audit(page)).toEqual([]);
    await page.goto(`/games/${id}/replay`);
    await page.locator('[data-testid="replay-step"]').waitFor();
    expect(await audit(page)).toEqual([]);
    for (const path of ['/troop', '/leaderboard']) {
      await page.goto(path);
      await page.locator('h1').waitFor();
      expect(await audit(page)).toEqual([]);
    }
    await context.close();
  });

  it('a game can be played with the keyboard alone', async () => {
    const { page, context, errors } = await newVisitor(browser, stack.baseUrl);
    await nameYourself(page, 'Keys');
    await startGame(page, 'tictactoe', 'guardiangorilla');
    for (let move = 0; move < 2; move++) {
      if ((await waitTurnOrEnd(page)) === 'over') break;
      const before = await discCount(page);
      // Tab into the board (one tab stop), then arrows to a legal cell and Enter.
      await page.locator('body').focus();
      let inBoard = false;
      for (let i = 0; i < 40 && !inBoard; i++) {
        await page.keyboard.press('Tab');
        inBoard = await page.evaluate(() => document.activeElement?.classList.contains('ttt-cell') ?? false);
      }
      expect(inBoard).toBe(true);
      for (let i = 0; i < 9; i++) {
        if (await page.evaluate(() => document.activeElement?.hasAttribute('data-legal') ?? false)) break;
        await page.keyboard.press('ArrowRight');
        if (i % 3 === 2) await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
      await expect.poll(() => discCount(page)).toBeGreaterThan(before);
    }
    expect(await turnStatus(page).textContent()).not.toBe('');
    expect(errors).toEqual([]);
    await context.close();
  });
});
