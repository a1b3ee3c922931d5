/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser: they use DOM types.)
// Issue 12 acceptance 4 (offers' share) in a real browser against a running stack: two
// people play tic-tac-toe while a third watches. A draw offered and accepted ends the game
// on all three screens; a rematch offered by one and accepted by the other moves both
// pages to ONE new game with the colours swapped (the watcher follows the link); one player
// closing the tab lets the other claim the win after the countdown (DISCONNECT_CLAIM_SECONDS
// is short in the harness). Screenshots: e2e/artifacts/screenshots/live-*.png.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newVisitor, PHONE, screenshot } from '../harness/browser.js';
import { requireTestBackends } from '../harness/stack.js';
import { useBrowserStack } from '../harness/suite.js';
import { audit, byTurn, joinFromLobby, nameYourself, playTicTacToeMove, startGame, turnStatus, waitTurnOrEnd, watchGame } from './helpers.js';

const env = requireTestBackends();
if ('skip' in env) console.warn(`[browser tests] skipped: ${env.skip}`);

const news = (page: Page) => page.locator('[data-testid="offer-news"]');
const banner = (page: Page) => page.locator('.result-banner');
const seatName = (page: Page, seat: 0 | 1) => page.locator(`.player[data-seat="${seat}"] .player-name`).textContent();
const gameId = (page: Page) => page.url().split('/').pop()!;

describe.skipIf('skip' in env)('live offers in a browser', () => {
  const suite = useBrowserStack((env as { databaseUrl: string }).databaseUrl);

  it('draw by agreement on three screens; a rematch accepted moves both players to one new game, colours swapped; a closed tab lets the other claim the win', async () => {
    const { browser, stack } = suite;
    const a = await newVisitor(browser, stack.baseUrl);
    const b = await newVisitor(browser, stack.baseUrl);
    const c = await newVisitor(browser, stack.baseUrl, PHONE);
    await nameYourself(a.page, 'Alba');
    await nameYourself(b.page, 'Bruno');
    const id = await startGame(a.page, 'tictactoe', 'open');
    await joinFromLobby(b.page, 'Alba', 'Tic-tac-toe', id);
    await watchGame(c.page, id, '.ttt');

    // One move each: whoever's page says "Your turn." moves first.
    const [first, second] = await byTurn(a, b);
    for (const mover of [first, second]) {
      expect(await waitTurnOrEnd(mover.page)).toBe('turn');
      await playTicTacToeMove(mover.page, mover === first ? [4] : [0]);
    }
    await expect.poll(() => c.page.locator('.ttt-cell[data-owner]').count(), { timeout: 10_000 }).toBe(2);

    // --- Draw by agreement: Alba offers, Bruno (and the watcher) are told, Bruno accepts.
    await a.page.getByRole('button', { name: 'Offer draw' }).click();
    await expect.poll(() => news(a.page).textContent(), { timeout: 10_000 }).toBe('You offered a draw.');
    await expect.poll(() => news(b.page).textContent(), { timeout: 10_000 }).toBe('Alba offers a draw.');
    await expect.poll(() => news(c.page).textContent(), { timeout: 10_000 }).toBe('Alba offers a draw.');
    await screenshot(b.page, 'live-draw-offered');
    expect(await audit(b.page)).toEqual([]);
    // Bruno answers with the keyboard: the offer's buttons are real buttons.
    await b.page.getByRole('button', { name: 'Accept draw' }).focus();
    await b.page.keyboard.press('Enter');
    for (const v of [a, b, c]) {
      await expect.poll(() => banner(v.page).textContent(), { timeout: 10_000 }).toMatch(/Draw/);
      expect(await turnStatus(v.page).textContent()).toBe('Game over.');
    }
    expect(await a.page.getByRole('button', { name: 'Offer draw' }).count()).toBe(0);
    await screenshot(c.page, 'live-draw-agreed-spectator');

    // --- Rematch: Bruno offers, Alba accepts; both land on the same new game, seats swapped.
    const seat0 = await seatName(a.page, 0);
    const seat1 = await seatName(a.page, 1);
    await b.page.getByRole('button', { name: 'Rematch' }).click();
    await expect.poll(() => news(a.page).textContent(), { timeout: 10_000 }).toBe('Bruno wants a rematch.');
    await expect.poll(() => news(b.page).textContent()).toBe('Rematch offered — waiting for Alba.');
    await screenshot(a.page, 'live-rematch-offered');
    await a.page.getByRole('button', { name: 'Accept rematch' }).click();
    const notOld = new RegExp(`/games/(?!${id})[0-9a-f-]{36}$`);
    await a.page.waitForURL(notOld, { timeout: 15_000 });
    await b.page.waitForURL(notOld, { timeout: 15_000 });
    const rematchId = gameId(a.page);
    expect(gameId(b.page)).toBe(rematchId);
    for (const v of [a, b]) {
      await expect.poll(() => seatName(v.page, 0), { timeout: 10_000 }).toBe(seat1);
      expect(await seatName(v.page, 1)).toBe(seat0);
      expect(await v.page.locator('.game-page').getAttribute('data-status')).toBe('active');
    }
    // The watcher is not moved, but is shown the way.
    await c.page.getByRole('link', { name: 'Watch the rematch' }).click();
    await c.page.waitForURL(new RegExp(`/games/${rematchId}$`));
    await screenshot(a.page, 'live-rematch-landed');

    // --- Bruno closes the tab: Alba sees the countdown, then claims the win.
    await expect.poll(() => c.page.locator('.player[data-seat="0"] .player-name').textContent(), { timeout: 10_000 }).toBe(seat1);
    await b.context.close();
    const timer = a.page.getByRole('timer');
    await expect.poll(() => timer.textContent(), { timeout: 15_000 }).toMatch(/^Opponent left — you can claim the win in \d+ s$/);
    expect(await news(a.page).textContent()).toBe('Bruno left the game.');
    await screenshot(a.page, 'live-opponent-left-countdown');
    const claim = a.page.getByRole('button', { name: 'Claim win' });
    await claim.waitFor({ timeout: 15_000 });
    expect(await a.page.getByRole('button', { name: 'Claim draw' }).count()).toBe(1);
    await claim.click();
    await expect.poll(() => banner(a.page).textContent(), { timeout: 10_000 }).toMatch(/You win/);
    await expect.poll(() => banner(c.page).textContent(), { timeout: 10_000 }).toMatch(/Alba wins/);
    await screenshot(a.page, 'live-claimed-win');

    for (const v of [a, b, c]) expect(v.errors).toEqual([]);
    await a.context.close();
    await c.context.close();
  });

  it('against the troop a takeback is granted at once, and a game with fewer than two moves can be aborted', async () => {
    const { page, errors, context } = await newVisitor(suite.browser, suite.stack.baseUrl);
    await nameYourself(page, 'Tess');
    await startGame(page, 'tictactoe', 'guardiangorilla');
    expect(await waitTurnOrEnd(page)).toBe('turn');
    const before = await page.locator('.move-list li').count(); // 1 when the gorilla opened
    await playTicTacToeMove(page);
    expect(await waitTurnOrEnd(page)).toBe('turn');
    await expect.poll(() => page.locator('.move-list li').count()).toBe(before + 2);
    expect(await page.getByRole('button', { name: 'Abort game' }).count()).toBe(0);
    // Our move and the gorilla's reply are taken back: our turn again, in the position before.
    await page.getByRole('button', { name: 'Take back' }).click();
    await expect.poll(() => page.locator('.move-list li').count(), { timeout: 10_000 }).toBe(before);
    await expect.poll(() => page.locator('.ttt-cell[data-owner]').count()).toBe(before);
    expect(await turnStatus(page).textContent()).toBe('Your turn.');
    await page.getByRole('button', { name: 'Abort game' }).click();
    await expect.poll(() => turnStatus(page).textContent(), { timeout: 10_000 }).toBe('Game over.');
    await banner(page).waitFor();
    await screenshot(page, 'live-troop-aborted');
    expect(errors).toEqual([]);
    await context.close();
  });
});
