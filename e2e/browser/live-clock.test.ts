/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser: they use DOM types.)
// Issue 12 in a real browser (acceptance 4, clocks and ratings): two people start a short
// timed tic-tac-toe game (30s+3) from the lobby's time-control picker while a third
// watches on a phone; each side moves once (so the game is rated), then the first player just stops:
// the clocks tick on all three screens (and after a reload), the flag falls on the
// server with nobody acting, and every screen says "on time" with the clock at 0:00 and
// the rating change in the banner. Screenshots: e2e/artifacts/screenshots/live-clock-*.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newVisitor, PHONE, screenshot } from '../harness/browser.js';
import { requireTestBackends } from '../harness/stack.js';
import { useBrowserStack } from '../harness/suite.js';
import { nameYourself, playTicTacToeMove, turnStatus, waitTurnOrEnd } from './helpers.js';

const env = requireTestBackends();
if ('skip' in env) console.warn(`[browser tests] skipped: ${env.skip}`);

/** A short tic-tac-toe preset: 30 s each, 3 s a move (the 15 s one is too tight for a busy 2-core machine). */
const CONTROL = '30s+3';

const clockText = (page: Page, seat: 0 | 1) => page.locator(`.clock[data-seat="${seat}"] .clock-time`).textContent();
/** A clock's reading in ms ("0:14", "0:09.3", "1:02"). */
async function clockMs(page: Page, seat: 0 | 1): Promise<number> {
  const t = (await clockText(page, seat)) ?? '';
  const [m, s] = t.split(':');
  return Math.round((Number(m) * 60 + Number(s)) * 1000);
}

describe.skipIf('skip' in env)('live clocks and ratings in a browser', () => {
  const suite = useBrowserStack((env as { databaseUrl: string }).databaseUrl);

  it('a short timed game: the clocks tick everywhere, the flag falls with nobody acting, all three screens say "on time" and show the rating change', async () => {
    const a = await newVisitor(suite.browser, suite.stack.baseUrl);
    const b = await newVisitor(suite.browser, suite.stack.baseUrl);
    const c = await newVisitor(suite.browser, suite.stack.baseUrl, PHONE);
    await nameYourself(a.page, 'Tessa');
    await nameYourself(b.page, 'Ulrich');

    // Tessa opens a timed seat with the lobby's picker.
    await a.page.locator('input[name="type"][value="tictactoe"]').check();
    await a.page.locator('input[name="opponent"][value="open"]').check();
    await a.page.locator('select[name="clock"]').selectOption(CONTROL);
    await screenshot(a.page, 'live-clock-picker');
    await a.page.getByRole('button', { name: 'Open a seat' }).click();
    await a.page.waitForURL(/\/games\/[0-9a-f-]{36}$/);
    const id = a.page.url().split('/').pop()!;

    // The spectator opens the game while the seat is still open: the clocks appear on her
    // screen when the second player arrives.
    await c.page.goto('/');
    await c.page.getByRole('button', { name: 'Just watch for now' }).click();
    await c.page.goto(`/games/${id}`);
    await expect.poll(() => turnStatus(c.page).textContent()).toBe('This game needs one more player.');

    // Ulrich's lobby shows the seat with its time control; he joins.
    const join = b.page.getByRole('button', { name: /Join Tessa's Tic-tac-toe game/ });
    await join.waitFor({ timeout: 15_000 });
    const row = b.page.locator('.game-row', { has: join });
    expect(await row.locator('.game-clock').textContent()).toContain(CONTROL);
    await join.click();
    await b.page.waitForURL(new RegExp(`/games/${id}$`));

    // Both clocks on every screen; seat 0 (X) moves first, but no clock runs before each
    // side's first move (issue 26: X shows its first-move wait instead).
    for (const v of [a, b, c]) {
      const who = v === c ? 'spectator' : v === a ? 'host' : 'joiner';
      await expect.poll(() => v.page.locator('.clock').count(), { timeout: 15_000, message: `${who}: two clocks` }).toBe(2);
      await expect.poll(() => v.page.locator('.clock[data-seat="0"][data-waiting]').count(), { timeout: 15_000, message: `${who}: X's first move awaited` }).toBe(1);
      expect(await v.page.locator('.clock[data-running]').count()).toBe(0);
    }
    await expect.poll(async () => (await turnStatus(a.page).textContent()) === 'Your turn.' || (await turnStatus(b.page).textContent()) === 'Your turn.', { timeout: 15_000 }).toBe(true);
    const x = (await turnStatus(a.page).textContent()) === 'Your turn.' ? a : b;
    // Two newcomers: their ratings are provisional, marked "1500?" in the strips.
    expect(await c.page.locator('.player-meta .rating[data-provisional]').allTextContents()).toEqual(['1500?', '1500?']);
    const o = x === a ? b : a;

    // One move each: the game will count for the ratings, and the clocks start.
    await playTicTacToeMove(x.page, [4]);
    expect(await waitTurnOrEnd(o.page)).toBe('turn');
    await playTicTacToeMove(o.page, [0]);
    expect(await waitTurnOrEnd(x.page)).toBe('turn');
    // X's clock runs again, on the spectator's phone too; O's stands.
    await expect.poll(() => c.page.locator('.clock[data-seat="0"][data-running]').count(), { timeout: 10_000 }).toBe(1);
    const first = await clockMs(c.page, 0);
    const oBefore = await clockMs(c.page, 1);
    await c.page.waitForTimeout(1_500);
    expect(await clockMs(c.page, 0)).toBeLessThan(first);
    expect(await clockMs(c.page, 1)).toBe(oBefore);
    expect(oBefore).toBeGreaterThan(20_000); // 30 s + 3 s increment, minus a quick move
    await screenshot(x.page, 'live-clock-ticking-desktop');
    await screenshot(c.page, 'live-clock-ticking-phone');

    // A reload reads the clock from the server's snapshot: the same time, still ticking.
    const beforeReload = await clockMs(c.page, 0);
    await c.page.reload();
    await c.page.locator('.clock[data-seat="0"][data-running]').waitFor();
    const afterReload = await clockMs(c.page, 0);
    expect(afterReload).toBeLessThanOrEqual(beforeReload + 200);
    expect(afterReload).toBeGreaterThan(beforeReload - 6_000); // the reload itself takes a moment on a busy machine

    // Nobody does anything: X's flag falls on the server and every screen says so.
    for (const v of [x, o, c]) {
      await expect.poll(() => v.page.locator('.result-banner').textContent(), { timeout: 50_000, message: `${v === c ? 'spectator' : v === x ? 'flagged player' : 'winner'} sees the flag` }).toMatch(/on time/);
    }
    expect(await x.page.locator('.result-banner strong').textContent()).toMatch(/^You ran out of time\. .+ wins on time\.$/);
    expect(await o.page.locator('.result-banner strong').textContent()).toBe('You win on time! 🏆');
    expect(await c.page.locator('.result-banner strong').textContent()).toMatch(/wins on time\.$/);
    for (const v of [x, o, c]) {
      expect(await clockText(v.page, 0)).toBe('0:00');
      expect(await v.page.locator('.clock[data-seat="0"][data-flagged]').count()).toBe(1);
      expect(await v.page.locator('.clock[data-running]').count()).toBe(0);
      expect(await turnStatus(v.page).textContent()).toBe('Game over.');
      expect(await v.page.locator('.board-frame[data-end="timeout"]').count()).toBe(1);
    }

    // The rated game's banner shows what it did to the ratings: a gain for the winner, a
    // loss for the flagged player, both for the spectator.
    await expect.poll(() => o.page.getByTestId('rating-change').textContent(), { timeout: 10_000 }).toMatch(/^Your rating \d+\??\s*\(\+\d+\)$/);
    await expect.poll(() => x.page.getByTestId('rating-change').textContent(), { timeout: 10_000 }).toMatch(/^Your rating \d+\??\s*\(\u2212\d+\)$/);
    await expect.poll(() => c.page.getByTestId('rating-change').textContent(), { timeout: 10_000 }).toMatch(/\(\+\d+\).*\(\u2212\d+\)|\(\u2212\d+\).*\(\+\d+\)/);
    await screenshot(x.page, 'live-clock-flagged-desktop');
    await screenshot(o.page, 'live-clock-won-on-time-desktop');
    await screenshot(c.page, 'live-clock-flagged-phone');
    expect(await c.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    // After a reload the banner still says how it ended and by how much (from the snapshot).
    await o.page.reload();
    await expect.poll(() => o.page.locator('.result-banner strong').textContent()).toBe('You win on time! 🏆');
    await expect.poll(() => o.page.getByTestId('rating-change').textContent()).toMatch(/\(\+\d+\)$/);

    for (const v of [a, b, c]) {
      expect(v.errors).toEqual([]);
      await v.context.close();
    }
  }, 180_000);
});
