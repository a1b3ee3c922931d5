/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser: they use DOM types.)
// Browser acceptance (issue 5, 2a/2b/2c/2e) against a running stack: real Chromium, real
// servers, real Postgres and Redis. Screenshots go to e2e/artifacts/screenshots/.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newVisitor, PHONE, screenshot } from '../harness/browser.js';
import { requireTestBackends, startBrowserStack, type BrowserStack } from '../harness/stack.js';
import { boardOwners, byTurn, discCount, joinFromLobby, nameYourself, playTicTacToeMove, playTicTacToeToEnd, startGame, turnStatus, waitTurnOrEnd, watchGame } from './helpers.js';

const env = requireTestBackends();
if ('skip' in env) console.warn(`[browser tests] skipped: ${env.skip}`);

// Records every text the turn-status line shows, so a test can assert "thinking…" appeared.
const RECORD_STATUS = `
  window.__statusLog = [];
  new MutationObserver(() => {
    const t = document.querySelector('[data-testid="turn-status"]')?.textContent;
    if (t && window.__statusLog[window.__statusLog.length - 1] !== t) window.__statusLog.push(t);
  }).observe(document, { subtree: true, childList: true, characterData: true });
`;

describe.skipIf('skip' in env)('the site in a browser', () => {
  let stack: BrowserStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startBrowserStack((env as { databaseUrl: string }).databaseUrl);
    browser = await launchBrowser();
    console.log(`[browser tests] ${stack.mode} stack at ${stack.baseUrl}`);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('(a) a new visitor names themself, beats or loses to MentorOrangutan at tic-tac-toe, and reads its reasons', async () => {
    const { page, errors, context } = await newVisitor(browser, stack.baseUrl);
    await context.addInitScript(RECORD_STATUS);
    await nameYourself(page, 'Ana');
    await expect.poll(() => page.locator('.whoami').textContent()).toBe('Ana');
    await page.locator('.troop-card[data-agent="mentororangutan"]').waitFor();
    await screenshot(page, 'lobby-desktop');

    await startGame(page, 'tictactoe', 'mentororangutan');
    // MentorOrangutan offers a hint: a highlighted cell and a lesson.
    expect(await waitTurnOrEnd(page)).toBe('turn');
    await page.getByRole('button', { name: /Hint from MentorOrangutan/ }).click();
    await page.locator('.ttt-cell[data-hint][data-legal]').waitFor();
    expect((await page.locator('.hint-text').textContent())?.length).toBeGreaterThan(10);
    const ours = await playTicTacToeToEnd(page);
    expect(ours).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.locator('.result-banner').textContent()).toMatch(/win|Draw/);
    const reasons = await page.locator('.reason-list li .reason-text').allTextContents();
    expect(reasons.length).toBeGreaterThanOrEqual(2);
    for (const r of reasons) expect(r.trim().length).toBeGreaterThan(3);
    const seen = (await page.evaluate('window.__statusLog')) as string[];
    expect(seen.some((s) => /MentorOrangutan is thinking/.test(s))).toBe(true);
    // Every move is in the move list, and the board agrees.
    // (The last move's event may land a moment after the final snapshot: poll.)
    await expect.poll(async () => (await page.locator('.move-list li').count()) - (await discCount(page))).toBe(0);

    // The player page has the rating and the game, with a replay link.
    await page.locator('.whoami button').click(); // the account menu: profile, rename, sign out
    await page.getByRole('link', { name: 'Your profile' }).click();
    await page.waitForURL(/\/players\//);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Ana');
    await expect.poll(() => page.locator('table').first().textContent()).toContain('Tic-tac-toe');
    await page.getByRole('link', { name: 'Replay' }).first().waitFor();
    await screenshot(page, 'player-desktop');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('(c) reloading mid-game resumes the same position, and the game goes on', async () => {
    const { page, errors, context } = await newVisitor(browser, stack.baseUrl);
    await nameYourself(page, 'Reloader');
    const id = await startGame(page, 'tictactoe', 'guardiangorilla');
    // One move each way (the agent may also have opened): nobody can have won yet.
    expect(await waitTurnOrEnd(page)).toBe('turn');
    await playTicTacToeMove(page);
    expect(await waitTurnOrEnd(page)).toBe('turn');
    const before = await boardOwners(page);
    const movesBefore = await page.locator('.move-list li').allTextContents();
    expect(before.filter(Boolean).length).toBeGreaterThanOrEqual(2);

    await page.reload();
    expect(page.url()).toContain(id);
    expect(await waitTurnOrEnd(page)).toBe('turn');
    expect(await boardOwners(page)).toEqual(before);
    await expect.poll(() => page.locator('.move-list li').allTextContents()).toEqual(movesBefore);
    await playTicTacToeToEnd(page);
    await page.locator('.result-banner').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('(b) two people play connect four while a third watches on a phone: all see every move live', async () => {
    const a = await newVisitor(browser, stack.baseUrl);
    const b = await newVisitor(browser, stack.baseUrl);
    const c = await newVisitor(browser, stack.baseUrl, PHONE);
    await nameYourself(a.page, 'Alba');
    await nameYourself(b.page, 'Bruno');
    const id = await startGame(a.page, 'connect4', 'open');
    await expect.poll(() => turnStatus(a.page).textContent()).toMatch(/Waiting for an opponent/);

    // Bruno's lobby learns about the open seat live (no reload) and he joins it.
    await joinFromLobby(b.page, 'Alba', 'Connect four', id);
    await watchGame(c.page, id, '.c4');

    // Alba's page sees Bruno arrive without a reload.
    await expect.poll(() => a.page.locator('.players').textContent(), { timeout: 15_000 }).toContain('Bruno');
    // Presence: both players and the watcher are in the room, on every page.
    for (const v of [a, b, c]) await expect.poll(() => v.page.locator('[data-testid="spectators"]').textContent(), { timeout: 10_000 }).toMatch(/\b3 in the room/);
    // Seats are random: whoever's page says "Your turn." moves first.
    const [first, second] = await byTurn(a, b);
    // First mover stacks column 1, second column 2: four in a column on move 7.
    const plan = [first, second, first, second, first, second, first];
    for (let i = 0; i < plan.length; i++) {
      const mover = plan[i]!;
      expect(await waitTurnOrEnd(mover.page)).toBe('turn');
      await mover.page.locator(`.c4-col[data-col="${mover === first ? 0 : 1}"]`).click();
      for (const v of [a, b, c]) await expect.poll(() => discCount(v.page), { timeout: 10_000 }).toBe(i + 1);
      if (i === 3) {
        await screenshot(a.page, 'game-desktop');
        await screenshot(c.page, 'game-phone');
      }
    }
    const boards = await Promise.all([a, b, c].map((v) => boardOwners(v.page)));
    expect(boards[1]).toEqual(boards[0]);
    expect(boards[2]).toEqual(boards[0]);
    await expect.poll(() => first.page.locator('.result-banner').textContent()).toMatch(/You win/);
    await expect.poll(() => second.page.locator('.result-banner').textContent()).toMatch(/wins/);
    await expect.poll(() => c.page.locator('.result-banner').textContent()).toMatch(/wins/);
    expect(await c.page.locator('.move-list li').count()).toBe(7);
    await screenshot(c.page, 'game-phone-finished');

    // The replay steps back through the same moves.
    await a.page.getByRole('link', { name: 'Replay' }).click();
    await a.page.waitForURL(new RegExp(`/games/${id}/replay$`));
    await expect.poll(() => a.page.locator('[data-testid="replay-step"]').textContent()).toMatch(/^4\. col \d · Banana · move 4 of 4$/);
    await a.page.getByRole('button', { name: 'Previous move' }).click();
    await a.page.getByRole('button', { name: 'Previous move' }).click();
    await expect.poll(() => discCount(a.page)).toBe(5);
    await screenshot(a.page, 'replay-desktop');
    await a.page.keyboard.press('End');
    await expect.poll(() => discCount(a.page)).toBe(7);

    for (const v of [a, b, c]) {
      expect(v.errors).toEqual([]);
      await v.context.close();
    }
  });

  it('(e) markup and very long input in names and chat are shown as text, never run', async () => {
    const evilName = '<svg onload=alert(1)>';
    const evilChat = '<script>alert(2)</script><img src=x onerror=alert(3)>';
    const { page, errors, dialogs, context } = await newVisitor(browser, stack.baseUrl);
    await page.goto('/');
    // A very long name cannot even be typed past the limit…
    await page.getByLabel('Your name').fill('N'.repeat(200));
    expect((await page.getByLabel('Your name').inputValue()).length).toBe(24);
    await page.getByLabel('Your name').fill('');
    await page.getByRole('button', { name: "Let's play" }).click();
    await page.locator('#name-error').waitFor();
    // …and markup becomes a name like any other.
    await page.getByLabel('Your name').fill(evilName);
    await page.getByRole('button', { name: "Let's play" }).click();
    await expect.poll(() => page.locator('.whoami').textContent()).toBe(evilName);

    await startGame(page, 'tictactoe', 'wildcardlemur');
    await expect.poll(() => page.locator('.players').textContent()).toContain(evilName);
    const chat = page.getByRole('textbox', { name: 'Chat message' });
    await chat.fill(evilChat);
    await chat.press('Enter');
    await expect.poll(() => page.locator('.chat-list .chat-text').allTextContents(), { timeout: 10_000 }).toContain(evilChat);
    await chat.fill('y'.repeat(1000));
    expect((await chat.inputValue()).length).toBe(280);
    await chat.press('Enter');
    // Either the line shows up or the page says why not (then the assert names the reason).
    const longSent = page.locator('.chat-list .chat-text', { hasText: 'y'.repeat(280) }).or(page.locator('#chat-error'));
    await longSent.first().waitFor({ timeout: 10_000 });
    expect(await page.locator('#chat-error').allTextContents()).toEqual([]);
    expect(await page.locator('.chat-list .chat-text').allTextContents()).toContain('y'.repeat(280));

    // A second visitor sees the same text in the lobby's live list and the chat.
    const other = await newVisitor(browser, stack.baseUrl);
    await other.page.goto(page.url());
    await expect.poll(() => other.page.locator('.chat-list .chat-text').allTextContents(), { timeout: 10_000 }).toContain(evilChat);
    for (const p of [page, other.page]) {
      expect(await p.locator('main svg, main script, main img, header svg, header img').count()).toBe(0);
      expect(await p.evaluate(() => document.querySelectorAll('script:not([src])').length)).toBeLessThan(50); // Next's own inline data only
      expect(await p.locator('.chat-list script, .chat-list img, .players svg').count()).toBe(0);
    }
    await page.waitForTimeout(300); // an onerror/onload would have fired by now
    expect(dialogs).toEqual([]);
    expect(other.dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await other.context.close();
    await context.close();
  });

  it('a refused move shows at once and rolls back with the reason; resign and rematch', async () => {
    const { page, errors, context } = await newVisitor(browser, stack.baseUrl);
    await nameYourself(page, 'Hasty');
    await startGame(page, 'tictactoe', 'trickstermonkey');
    expect(await waitTurnOrEnd(page)).toBe('turn');
    const before = await boardOwners(page);
    // The server refuses the next move (as it would for a stale or illegal one).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/games/*/moves', async (route) => {
      await held;
      await route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ error: { code: 'illegal_move', message: 'the monkeys say no' } }) });
    });
    const cell = await playTicTacToeMove(page);
    // Optimistic: the mark is there before the server answered.
    await expect.poll(() => page.locator(`.ttt-cell[data-cell="${cell}"]`).getAttribute('data-owner')).not.toBeNull();
    release();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('the monkeys say no');
    expect(await boardOwners(page)).toEqual(before);
    expect(await turnStatus(page).textContent()).toBe('Your turn.');
    // And the next, accepted move goes through.
    await page.unroute('**/api/games/*/moves');
    await playTicTacToeMove(page);
    await expect.poll(() => page.locator('.move-list li').count()).toBeGreaterThan(before.filter(Boolean).length);

    // Resign (with a confirmation), then a rematch starts a fresh game against the same monkey.
    if ((await waitTurnOrEnd(page)) === 'turn') {
      await page.getByRole('button', { name: 'Resign' }).click();
      await page.getByRole('button', { name: 'Yes, resign' }).click();
      await expect.poll(() => page.locator('.result-banner').textContent()).toMatch(/TricksterMonkey wins by resignation/);
    }
    const firstUrl = page.url();
    await page.getByRole('button', { name: 'Rematch' }).click();
    await page.waitForURL((u) => u.toString() !== firstUrl && /\/games\/[0-9a-f-]{36}$/.test(u.pathname));
    await expect.poll(() => page.locator('.players').textContent()).toContain('TricksterMonkey');
    await expect.poll(() => turnStatus(page).textContent()).toMatch(/Your turn|thinking|to move/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('pages do not jump while they load and go live (CLS < 0.1)', async () => {
    const { page, context } = await newVisitor(browser, stack.baseUrl);
    await context.addInitScript(`
      window.__cls = 0;
      new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
        .observe({ type: 'layout-shift', buffered: true });
    `);
    await nameYourself(page, 'Still');
    const id = await startGame(page, 'connect4', 'speedygibbon');
    const cls = async (path: string) => {
      await page.goto(path);
      await page.waitForLoadState('networkidle').catch(() => {});
      await page.waitForTimeout(800); // hydration, session, live connection, history
      return (await page.evaluate('window.__cls')) as number;
    };
    expect(await cls('/')).toBeLessThan(0.1);
    expect(await cls(`/games/${id}`)).toBeLessThan(0.1);
    expect(await cls('/troop')).toBeLessThan(0.1);
    await context.close();
  });

  it('a stale guest token is forgotten and the name prompt comes back', async () => {
    const { page, context, errors } = await newVisitor(browser, stack.baseUrl);
    await context.addInitScript(() => {
      if (!sessionStorage.getItem('seeded')) {
        sessionStorage.setItem('seeded', '1');
        localStorage.setItem('monkeytown.session.v1', JSON.stringify({ playerId: '00000000-0000-4000-8000-000000000009', name: 'Ghost', token: 'not-a-valid-token' }));
      }
    });
    await page.goto('/');
    await page.getByRole('dialog', { name: /Welcome to Monkeytown/ }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('monkeytown.session.v1'))).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lobby and troop on a phone', async () => {
    const { page, context } = await newVisitor(browser, stack.baseUrl, PHONE);
    await nameYourself(page, 'Pip');
    await page.locator('.troop-card').first().waitFor();
    // Nothing wider than the phone: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'lobby-phone');
    await page.goto('/troop');
    await page.locator('.troop-profile').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.goto('/leaderboard');
    await page.locator('table, .panel .muted').first().waitFor();
    await screenshot(page, 'leaderboard-phone');
    await context.close();
  });
});
