/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser: they use DOM types.)
// Issue 16 in a browser (1280×800 and 390×844): the lobby shows what matters without
// scrolling, pages open at their top, boards carry coordinates, the tab title says whose
// turn it is, icons exist, no page logs a console error, moves make a sound unless muted,
// and a notice about a move made offline clears itself once the connection is back.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { newVisitor, screenshot } from '../harness/browser.js';
import { requireTestBackends } from '../harness/stack.js';
import { useBrowserStack } from '../harness/suite.js';
import { nameYourself, playTicTacToeMove, startGame, waitTurnOrEnd } from './helpers.js';

const env = requireTestBackends();
if ('skip' in env) console.warn(`[browser tests] skipped: ${env.skip}`);

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const VIEWPORTS = { desktop: DESKTOP, phone: PHONE } as const;

// Counts Web Audio sources started, so a test can tell a sound was played.
const COUNT_SOUNDS = `
  window.__soundsStarted = 0;
  const start = AudioScheduledSourceNode.prototype.start;
  AudioScheduledSourceNode.prototype.start = function (...args) { window.__soundsStarted += 1; return start.apply(this, args); };
`;
const soundsStarted = (page: Page) => page.evaluate(() => (window as unknown as { __soundsStarted: number }).__soundsStarted);

/** Console errors, page errors and failed responses of one page. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  return problems;
}

const box = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())!;

describe.skipIf('skip' in env)('first ten minutes in a browser', () => {
  const suite = useBrowserStack((env as { databaseUrl: string }).databaseUrl);
  const api = (path: string, body?: unknown, token?: string) =>
    fetch(`${suite.stack.baseUrl}/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, any> }));
  let finishedId = '';
  let liveId = '';
  let playerId = '';

  beforeAll(async () => {
    // Something in every lobby list: an open seat, a live game, a finished one.
    const host = await api('/players', { name: 'Newbie Nora Longname' });
    playerId = host.json.player.id;
    await api('/games', { type: 'connect4', opponent: { kind: 'open' } }, host.json.token);
    liveId = (await api('/games', { type: 'connect4', opponent: { kind: 'agent', agentId: 'championchimp' } }, host.json.token)).json.game.id;
    const done = await api('/games', { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'guardiangorilla' } }, host.json.token);
    finishedId = done.json.game.id;
    expect((await api(`/games/${finishedId}/resign`, {}, host.json.token)).status).toBe(200);
  });

  it('lobby: open seats and live games above the fold on a desktop, Play on the first screen of a phone', async () => {
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      const { page, context } = await newVisitor(suite.browser, suite.stack.baseUrl, viewport);
      await nameYourself(page, `Fold ${name}`);
      await page.locator('.game-row').first().waitFor();
      const play = await box(page, 'form.new-game button[type="submit"]');
      expect(play.y + play.height, `${name}: Play at ${play.y}`).toBeLessThanOrEqual(viewport.height);
      const open = await box(page, '#open-h');
      if (name === 'desktop') {
        const live = await box(page, '.lobby-lists .panel:nth-child(2) .game-row');
        expect(open.y + open.height).toBeLessThanOrEqual(viewport.height);
        expect(live.y + live.height, 'first live game row').toBeLessThanOrEqual(viewport.height);
      } else {
        expect(open.y, 'open seats start within the first screen').toBeLessThan(viewport.height);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      }
      // Finished rows are legible: names wrap rather than being cut off.
      const cut = await page.locator('.game-who').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).length);
      expect(cut).toBe(0);
      await context.close();
    }
  });

  it('a page opened from a scrolled lobby starts at its top', async () => {
    const { page, context } = await newVisitor(suite.browser, suite.stack.baseUrl, PHONE);
    await nameYourself(page, 'Scroller');
    const replay = page.getByRole('link', { name: /^Replay / }).first();
    await replay.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
    await replay.click();
    await page.waitForURL(/\/replay$/);
    await page.locator('h1').waitFor();
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
    await context.close();
  });

  it('boards have coordinates; the title says "your turn" (marked in a background tab); a move sounds unless muted', async () => {
    const context = await suite.browser.newContext({ baseURL: suite.stack.baseUrl, viewport: DESKTOP, reducedMotion: 'no-preference' });
    await context.addInitScript(COUNT_SOUNDS);
    const page = await context.newPage();
    const problems = watchProblems(page);
    await nameYourself(page, 'Listener');
    await startGame(page, 'tictactoe', 'speedygibbon');
    expect(await page.locator('.coords-files').textContent()).toBe('abc');
    expect(await page.locator('.coords-ranks').textContent()).toBe('123');
    expect(await waitTurnOrEnd(page)).toBe('turn');
    await expect.poll(() => page.title()).toMatch(/^Your turn · vs SpeedyGibbon · Tic-tac-toe/);

    await page.getByRole('button', { name: /Sound (on|off)/ }).waitFor();
    expect(await page.getByRole('button', { name: /Sound/ }).getAttribute('aria-pressed')).toBe('true');
    const before = await soundsStarted(page);
    await playTicTacToeMove(page);
    await expect.poll(() => soundsStarted(page)).toBeGreaterThan(before);

    // In a background tab the title gets a marker when the move comes back to us.
    expect(await waitTurnOrEnd(page)).toBe('turn');
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect.poll(() => page.title()).toMatch(/^● Your turn/);

    // Muted: moves are silent, and the choice is remembered after a reload.
    await page.getByRole('button', { name: /Sound on/ }).click();
    await page.reload();
    await page.getByRole('button', { name: 'Sound off' }).waitFor();
    expect(await page.getByRole('button', { name: /Sound/ }).getAttribute('aria-pressed')).toBe('false');
    expect(await waitTurnOrEnd(page)).toBe('turn');
    const quiet = await soundsStarted(page);
    await playTicTacToeMove(page);
    await page.waitForTimeout(500);
    expect(await soundsStarted(page)).toBe(quiet);

    await page.goto('/');
    await startGame(page, 'connect4', 'speedygibbon');
    expect(await page.locator('.coords-cols').textContent()).toBe('1234567');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a visitor who asked for reduced motion starts muted', async () => {
    const { page, context } = await newVisitor(suite.browser, suite.stack.baseUrl); // reducedMotion: reduce
    await context.addInitScript(COUNT_SOUNDS);
    await nameYourself(page, 'Quiet');
    await startGame(page, 'tictactoe', 'speedygibbon');
    await page.getByRole('button', { name: 'Sound off' }).waitFor();
    expect(await waitTurnOrEnd(page)).toBe('turn');
    await playTicTacToeMove(page);
    await page.waitForTimeout(500);
    expect(await soundsStarted(page)).toBe(0);
    await context.close();
  });

  it('icons are served and every page loads without a console error (screenshots of each)', async () => {
    for (const path of ['/favicon.ico', '/icon.svg', '/apple-icon.png', '/manifest.webmanifest', '/icon-192.png']) {
      const res = await fetch(`${suite.stack.baseUrl}${path}`);
      expect(res.status, path).toBe(200);
    }
    const pages = {
      lobby: '/',
      game: `/games/${liveId}`,
      replay: `/games/${finishedId}/replay`,
      player: `/players/${playerId}`,
      leaderboard: '/leaderboard',
      troop: '/troop',
      docs: '/api/docs',
    };
    for (const [vp, viewport] of Object.entries(VIEWPORTS)) {
      const { page, context } = await newVisitor(suite.browser, suite.stack.baseUrl, viewport);
      const problems = watchProblems(page);
      await nameYourself(page, `Tourist ${vp}`);
      for (const [name, path] of Object.entries(pages)) {
        await page.goto(path, { waitUntil: 'networkidle' });
        await page.waitForTimeout(300);
        if (name !== 'docs') {
          const icon = await page.locator('link[rel="icon"]').first().getAttribute('href');
          expect(icon, `${name}: icon link`).toBeTruthy();
          if (name !== 'troop') await screenshot(page, `issue16-${name}-${vp}`);
        }
      }
      expect(problems, `${vp}: console errors / failed requests`).toEqual([]);
      await context.close();
    }
  });

  it('a notice about a move made offline clears itself when the connection comes back', async () => {
    const { page, context } = await newVisitor(suite.browser, suite.stack.baseUrl);
    await nameYourself(page, 'Commuter');
    await startGame(page, 'tictactoe', 'speedygibbon');
    expect(await waitTurnOrEnd(page)).toBe('turn');
    await context.setOffline(true);
    await playTicTacToeMove(page);
    const notice = page.locator('.notice-slot .error');
    // Issue 26: the move is kept (not snapped back) and sent when the link returns.
    await expect.poll(() => notice.textContent(), { timeout: 10_000 }).toContain('your move is kept');
    await context.setOffline(false);
    await expect.poll(() => notice.count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.locator('.conn').getAttribute('data-state'), { timeout: 20_000 }).toBe('open');
    // And play goes on.
    expect(await waitTurnOrEnd(page)).toBe('turn');
    await playTicTacToeMove(page);
    await context.close();
  });
});
