/// <reference lib="dom" />
// Issue 26 in a real browser. Acceptance 4: a timed game's clocks stand still until each
// side's first move (the seat to move shows its first-move wait), a first move in time
// starts them, and a game whose first move never comes is aborted on every screen.
// Acceptance 6: a chat flood is refused with the server's message, and muting a player
// hides their lines for that viewer only (a third viewer still sees them; a reload keeps
// the mute). Screenshots: e2e/artifacts/screenshots/clock-chat-*.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newVisitor, PHONE, screenshot } from '../harness/browser.js';
import { requireTestBackends } from '../harness/stack.js';
import { useBrowserStack } from '../harness/suite.js';
import { joinFromLobby, nameYourself, playTicTacToeMove, turnStatus, waitTurnOrEnd, watchGame } from './helpers.js';

const env = requireTestBackends();
if ('skip' in env) console.warn(`[browser tests] skipped: ${env.skip}`);

/** Short enough to wait out, long enough for two players to make their first moves on a busy machine. */
const FIRST_MOVE_SECONDS = 10;
const clockText = (page: Page, seat: 0 | 1) => page.locator(`.clock[data-seat="${seat}"] .clock-time`).textContent();

/** `host` opens a timed tic-tac-toe seat (30 s + 3) from the lobby; `guest` joins it. */
async function timedGame(host: Page, hostName: string, guest: Page): Promise<string> {
  await host.goto('/');
  await host.locator('input[name="type"][value="tictactoe"]').check();
  await host.locator('input[name="opponent"][value="open"]').check();
  await host.locator('select[name="clock"]').selectOption('30s+3');
  await host.getByRole('button', { name: 'Open a seat' }).click();
  await host.waitForURL(/\/games\/[0-9a-f-]{36}$/);
  const id = host.url().split('/').pop()!;
  await guest.goto('/');
  await joinFromLobby(guest, hostName, 'Tic-tac-toe', id);
  return id;
}

describe.skipIf('skip' in env)('first moves and chat manners in a browser', () => {
  const suite = useBrowserStack((env as { databaseUrl: string }).databaseUrl, { env: { FIRST_MOVE_TIMEOUT_SECONDS: String(FIRST_MOVE_SECONDS) } });

  it("clocks stand still until each side's first move; a first move in time starts them; a first move that never comes aborts the game", async () => {
    const a = await newVisitor(suite.browser, suite.stack.baseUrl);
    const b = await newVisitor(suite.browser, suite.stack.baseUrl, PHONE);
    await nameYourself(a.page, 'Quinn');
    await nameYourself(b.page, 'Rosa');

    const id = await timedGame(a.page, 'Quinn', b.page);
    for (const v of [a, b]) {
      await expect.poll(() => v.page.locator('.clock').count(), { timeout: 15_000 }).toBe(2);
      // Nobody's clock runs; X (seat 0) shows its first-move wait.
      await expect.poll(() => v.page.locator('.clock[data-seat="0"][data-waiting] .clock-first-move').textContent(), { timeout: 15_000 }).toMatch(/^First move: 0:\d\d/);
      expect(await v.page.locator('.clock[data-running]').count()).toBe(0);
    }
    await screenshot(a.page, 'clock-chat-first-move-wait-desktop');
    await screenshot(b.page, 'clock-chat-first-move-wait-phone');
    await a.page.waitForTimeout(2_000);
    expect([await clockText(a.page, 0), await clockText(a.page, 1)]).toEqual(['0:30', '0:30']); // no tick before the first move
    expect(await a.page.locator('.clock[data-running]').count()).toBe(0);

    // Each side's first move, in time: then X's clock runs (and ticks), O's stands.
    await expect.poll(async () => (await turnStatus(a.page).textContent()) === 'Your turn.' || (await turnStatus(b.page).textContent()) === 'Your turn.', { timeout: 15_000 }).toBe(true);
    const [x, o] = (await turnStatus(a.page).textContent()) === 'Your turn.' ? [a, b] : [b, a];
    await playTicTacToeMove(x.page, [4]);
    expect(await waitTurnOrEnd(o.page)).toBe('turn');
    expect(await o.page.locator('.clock[data-running]').count()).toBe(0); // O has not moved yet: no clock
    await expect.poll(() => o.page.locator('.clock[data-seat="1"][data-waiting]').count()).toBe(1);
    await playTicTacToeMove(o.page, [0]);
    expect(await waitTurnOrEnd(x.page)).toBe('turn');
    await expect.poll(() => x.page.locator('.clock[data-seat="0"][data-running]').count(), { timeout: 10_000 }).toBe(1);
    expect(await x.page.locator('.clock[data-waiting]').count()).toBe(0);
    await expect.poll(() => clockText(x.page, 0), { timeout: 5_000 }).not.toBe('0:30');
    expect(await clockText(x.page, 1)).toBe('0:30'); // both first moves were free
    await expect.poll(() => turnStatus(x.page).textContent()).toBe('Your turn.');

    // A second game where nobody moves: aborted on the server, every screen says why.
    const second = await timedGame(a.page, 'Quinn', b.page);
    expect(second).not.toBe(id);
    for (const v of [a, b]) {
      await expect.poll(() => v.page.locator('.result-banner').textContent(), { timeout: (FIRST_MOVE_SECONDS + 15) * 1000 }).toContain('Game aborted: no first move in time.');
      expect([await clockText(v.page, 0), await clockText(v.page, 1)]).toEqual(['0:30', '0:30']);
      expect(await v.page.locator('.clock[data-running], .clock[data-waiting]').count()).toBe(0);
      expect(await turnStatus(v.page).textContent()).toBe('Game over.');
    }
    await screenshot(a.page, 'clock-chat-aborted-desktop');
    await screenshot(b.page, 'clock-chat-aborted-phone');
    // Unrated: no rating change in the banner.
    expect(await a.page.getByTestId('rating-change').count()).toBe(0);

    for (const v of [a, b]) {
      expect(v.errors).toEqual([]);
      await v.context.close();
    }
  }, 180_000);

  it("a chat flood gets the server's message; muting hides a player's lines for that viewer only, across a reload", async () => {
    const a = await newVisitor(suite.browser, suite.stack.baseUrl);
    const b = await newVisitor(suite.browser, suite.stack.baseUrl);
    const c = await newVisitor(suite.browser, suite.stack.baseUrl, PHONE);
    await nameYourself(a.page, 'Sasha');
    await nameYourself(b.page, 'Tobias');
    await a.page.locator('input[name="type"][value="tictactoe"]').check();
    await a.page.locator('input[name="opponent"][value="open"]').check();
    await a.page.getByRole('button', { name: 'Open a seat' }).click();
    await a.page.waitForURL(/\/games\/[0-9a-f-]{36}$/);
    const id = a.page.url().split('/').pop()!;
    await b.page.goto('/');
    await joinFromLobby(b.page, 'Sasha', 'Tic-tac-toe', id);
    await watchGame(c.page, id, '.chat-list');

    const lines = (page: Page) => page.locator('.chat-list li .chat-text').allTextContents();
    const say = async (page: Page, text: string) => {
      await page.locator('#chat-input').fill(text);
      await page.locator('#chat-input').press('Enter');
    };
    await say(b.page, 'hello from Tobias');
    for (const v of [a, c]) await expect.poll(() => lines(v.page)).toContain('hello from Tobias');

    // Sasha mutes Tobias: his lines go from her screen only.
    await a.page.getByRole('button', { name: 'Mute Tobias' }).first().click();
    await expect.poll(() => lines(a.page)).not.toContain('hello from Tobias');
    await say(b.page, 'still here?');
    await expect.poll(() => lines(c.page)).toEqual(['hello from Tobias', 'still here?']);
    await expect.poll(() => lines(b.page)).toEqual(['hello from Tobias', 'still here?']);
    expect(await lines(a.page)).toEqual([]);
    await say(a.page, 'quiet now');
    await expect.poll(() => lines(c.page)).toEqual(['hello from Tobias', 'still here?', 'quiet now']);
    await expect.poll(() => lines(a.page)).toEqual(['quiet now']);
    await screenshot(a.page, 'clock-chat-muted-desktop');
    await screenshot(c.page, 'clock-chat-not-muted-phone');
    await a.page.reload();
    await a.page.locator('.chat-list').waitFor();
    await expect.poll(() => lines(a.page)).toEqual(['quiet now']);
    expect(await a.page.getByRole('button', { name: 'Unmute Tobias' }).count()).toBe(1);

    // Tobias floods: the chat limit (5 lines in 10 s; 2 said already) stops him with the server's words.
    for (let i = 0; i < 8; i++) {
      await say(b.page, `flood ${i}`);
      // Each send waits for its answer (the box clears on success, an alert on refusal).
      await expect.poll(async () => (await b.page.locator('#chat-input').inputValue()) === '' || (await b.page.locator('#chat-error').count()) > 0).toBe(true);
      if (await b.page.locator('#chat-error').count()) break;
    }
    await expect.poll(() => b.page.locator('#chat-error').textContent()).toMatch(/^slow down: you are sending chat messages too fast \(at most 5 chat messages in 10 seconds\); try again in \d+ s$/);
    await screenshot(b.page, 'clock-chat-flood-refused-desktop');
    await expect.poll(() => lines(c.page)).toEqual(['hello from Tobias', 'still here?', 'quiet now', 'flood 0', 'flood 1', 'flood 2']);

    for (const v of [a, b, c]) {
      expect(v.errors).toEqual([]);
      await v.context.close();
    }
  }, 180_000);
});
