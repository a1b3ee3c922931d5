/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser: they use DOM types.)
// Issue 26, acceptance 3: the network drops for 10 s mid-game (Chromium offline). The page
// says "Reconnecting…" within 2 s (never "Live" while offline); a move made offline stays
// on the board as pending, is sent when the link returns, is played exactly once (the
// server's move list), and the opponent's page shows it. And a move the server played
// whose answer was lost is resent with its Idempotency-Key and not played twice.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newVisitor, screenshot } from '../harness/browser.js';
import { requireTestBackends } from '../harness/stack.js';
import { useBrowserStack } from '../harness/suite.js';
import { byTurn, connection, discCount, joinFromLobby, nameYourself, playTicTacToeMove, startGame, turnStatus, waitTurnOrEnd } from './helpers.js';

const env = requireTestBackends();
if ('skip' in env) console.warn(`[browser tests] skipped: ${env.skip}`);

const OFFLINE_MS = 10_000;

/** The server's record of the game's moves (cells, in order), read over REST from the test. */
async function serverCells(baseUrl: string, id: string): Promise<number[]> {
  const res = await fetch(`${baseUrl}/api/games/${id}/events?after=0&limit=1000`);
  const { events } = (await res.json()) as { events: { kind: string; data: { move?: { cell: number } } }[] };
  return events.filter((e) => e.kind === 'move').map((e) => e.data.move!.cell);
}

const owner = (page: Page, cell: number) => page.locator(`.ttt-cell[data-cell="${cell}"]`).getAttribute('data-owner');

describe.skipIf('skip' in env)('a network drop mid-game', () => {
  const suite = useBrowserStack((env as { databaseUrl: string }).databaseUrl);

  it('shows Reconnecting within 2 s; a move made offline is kept, sent once when the link returns, and the opponent sees it', async () => {
    const a = await newVisitor(suite.browser, suite.stack.baseUrl);
    const b = await newVisitor(suite.browser, suite.stack.baseUrl);
    await nameYourself(a.page, 'Offline Olga');
    await nameYourself(b.page, 'Online Otto');
    const id = await startGame(a.page, 'tictactoe', 'open');
    await joinFromLobby(b.page, 'Offline Olga', 'Tic-tac-toe', id);
    const [x, o] = await byTurn(a, b);

    await playTicTacToeMove(x.page, [4]);
    expect(await waitTurnOrEnd(o.page)).toBe('turn');
    await playTicTacToeMove(o.page, [0]);
    expect(await waitTurnOrEnd(x.page)).toBe('turn');
    await expect.poll(() => connection(x.page).getAttribute('data-state')).toBe('open');

    // The link drops: within 2 s the pill says so.
    await x.context.setOffline(true);
    const dropped = Date.now();
    await x.page.waitForFunction(() => document.querySelector('.conn')?.getAttribute('data-state') === 'reconnecting', undefined, { timeout: 2_000, polling: 50 });
    expect(Date.now() - dropped).toBeLessThanOrEqual(2_000);
    expect(await connection(x.page).textContent()).toBe('Reconnecting…');

    // A move made offline: drawn at once, kept as pending, with a notice beside the board.
    await playTicTacToeMove(x.page, [8]);
    expect(await owner(x.page, 8)).not.toBeNull();
    await x.page.locator('.board-frame[data-pending]').waitFor();
    await expect.poll(() => turnStatus(x.page).textContent()).toBe('Waiting for the connection to send your move…');
    await expect.poll(() => x.page.locator('.notice-slot').textContent()).toMatch(/your move is kept/);
    await screenshot(x.page, 'offline-move-kept');

    // All through the outage: never "Live", the move still kept, nothing reached the server.
    while (Date.now() - dropped < OFFLINE_MS) {
      expect(await connection(x.page).getAttribute('data-state')).not.toBe('open');
      expect(await x.page.locator('.board-frame[data-pending]').count()).toBe(1);
      await x.page.waitForTimeout(500);
    }
    expect(await serverCells(suite.stack.baseUrl, id)).toEqual([4, 0]);
    expect(await discCount(o.page)).toBe(2);

    // Back online: the kept move is sent, played once; the opponent sees it.
    await x.context.setOffline(false);
    await expect.poll(() => connection(x.page).getAttribute('data-state'), { timeout: 10_000 }).toBe('open');
    await expect.poll(() => owner(o.page, 8), { timeout: 10_000 }).not.toBeNull();
    expect(await waitTurnOrEnd(o.page)).toBe('turn');
    await expect.poll(() => x.page.locator('.board-frame[data-pending]').count()).toBe(0);
    expect(await x.page.locator('.notice-slot').textContent()).not.toMatch(/kept|not played/);
    expect(await serverCells(suite.stack.baseUrl, id)).toEqual([4, 0, 8]);
    expect(await discCount(x.page)).toBe(3);
    await screenshot(o.page, 'offline-move-seen-by-opponent');

    // And the game goes on: the opponent's answer reaches the page that was offline.
    await playTicTacToeMove(o.page, [2]);
    await expect.poll(() => owner(x.page, 2), { timeout: 10_000 }).not.toBeNull();
    expect(await serverCells(suite.stack.baseUrl, id)).toEqual([4, 0, 8, 2]);
    for (const v of [a, b]) {
      expect(v.errors).toEqual([]);
      await v.context.close();
    }
  }, 120_000);

  it('a move lost in flight (the server played it, the answer never came) is played once: resent with the same key unless the stream showed it first', async () => {
    const a = await newVisitor(suite.browser, suite.stack.baseUrl);
    const b = await newVisitor(suite.browser, suite.stack.baseUrl);
    await nameYourself(a.page, 'Flaky Fran');
    await nameYourself(b.page, 'Steady Stan');
    const id = await startGame(a.page, 'tictactoe', 'open');
    await joinFromLobby(b.page, 'Flaky Fran', 'Tic-tac-toe', id);
    const [x, o] = await byTurn(a, b);

    // The first move POST reaches the server, which plays it; its answer is cut off.
    const keys: string[] = [];
    let cut = false;
    await x.page.route('**/api/games/*/moves', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (cut) return route.continue();
      cut = true;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await playTicTacToeMove(x.page, [4]);
    // If the cut-off answer comes before the stream shows the move, the page resends it with
    // the same key (the server answers from the key: no second move); if the stream was
    // first, the page already has the move and sends nothing more. Either way: one move.
    await expect.poll(() => x.page.locator('.board-frame[data-pending]').count(), { timeout: 10_000 }).toBe(0);
    await new Promise((r) => setTimeout(r, 3_000)); // a resend would have gone by now
    expect(new Set(keys).size).toBe(1);
    console.log(`[offline] lost answer: ${keys.length === 1 ? 'the stream showed the move first, no resend' : `resent ${keys.length - 1}x with the same key`}`);
    expect(await waitTurnOrEnd(o.page)).toBe('turn');
    expect(await owner(o.page, 4)).not.toBeNull();
    expect(await serverCells(suite.stack.baseUrl, id)).toEqual([4]);
    expect(await x.page.locator('.notice-slot').textContent()).not.toMatch(/kept|not played/);
    await playTicTacToeMove(o.page, [0]);
    expect(await waitTurnOrEnd(x.page)).toBe('turn');
    expect(await serverCells(suite.stack.baseUrl, id)).toEqual([4, 0]);
    for (const v of [a, b]) {
      expect(v.errors).toEqual([]);
      await v.context.close();
    }
  }, 120_000);

  it('a move request that hangs with no answer is given up, resent with the same key and played once; the page does not stay on "Sending…"', async () => {
    const a = await newVisitor(suite.browser, suite.stack.baseUrl);
    const b = await newVisitor(suite.browser, suite.stack.baseUrl);
    await nameYourself(a.page, 'Stalled Stella');
    await nameYourself(b.page, 'Patient Pete');
    const id = await startGame(a.page, 'tictactoe', 'open');
    await joinFromLobby(b.page, 'Stalled Stella', 'Tic-tac-toe', id);
    const [x, o] = await byTurn(a, b);

    // The first move POST of each of two moves never gets an answer: the first never leaves
    // (a stalled proxy), the second reaches the server, which plays it, and its answer hangs.
    const keys: string[][] = [[], []];
    const hung: Promise<unknown>[] = [];
    let stage = 0;
    // The first move's resend is held until the test has seen the page say it is sending
    // again: let through, it would end that state within milliseconds.
    let releaseResend = () => {};
    const resendHeld = new Promise<void>((r) => (releaseResend = r));
    await x.page.route('**/api/games/*/moves', async (route) => {
      const tries = keys[stage]!;
      tries.push(route.request().headers()['idempotency-key'] ?? '');
      if (tries.length > 1) {
        if (stage === 0) await resendHeld;
        return route.continue();
      }
      if (stage === 1) hung.push(route.fetch().catch(() => null)); // played, never answered
      await new Promise(() => {}); // never answers
    });

    await playTicTacToeMove(x.page, [4]);
    await expect.poll(() => turnStatus(x.page).textContent()).toBe('Sending your move…');
    // Given up within a few seconds, sent again with its key: played once, seen by the opponent.
    await expect.poll(() => keys[0]!.length, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => x.page.locator('.notice-slot').textContent(), { timeout: 5_000 }).toMatch(/sending it again/);
    await screenshot(x.page, 'stalled-move-resending');
    releaseResend();
    expect(new Set(keys[0]).size).toBe(1);
    await expect.poll(() => x.page.locator('.board-frame[data-pending]').count(), { timeout: 10_000 }).toBe(0);
    expect(await turnStatus(x.page).textContent()).not.toMatch(/Sending|Waiting/);
    expect(await waitTurnOrEnd(o.page)).toBe('turn');
    expect(await serverCells(suite.stack.baseUrl, id)).toEqual([4]);

    await playTicTacToeMove(o.page, [0]);
    expect(await waitTurnOrEnd(x.page)).toBe('turn');
    stage = 1;
    await playTicTacToeMove(x.page, [8]);
    // Played by the server at once; its answer never comes, but the stream shows the move:
    // the page takes it from there and does not send it again when the request is given up.
    await expect.poll(() => serverCells(suite.stack.baseUrl, id), { timeout: 5_000 }).toEqual([4, 0, 8]);
    await expect.poll(() => x.page.locator('.board-frame[data-pending]').count(), { timeout: 10_000 }).toBe(0);
    await new Promise((r) => setTimeout(r, 6_000)); // past the request's time-out
    expect(new Set(keys[1]).size).toBe(1); // a resend, if the stream was late, carries the same key
    expect(await turnStatus(x.page).textContent()).not.toMatch(/Sending|Waiting/);
    expect(await x.page.locator('.notice-slot').textContent()).not.toMatch(/sending it again|kept|not played/);
    expect(await serverCells(suite.stack.baseUrl, id)).toEqual([4, 0, 8]);
    expect(await waitTurnOrEnd(o.page)).toBe('turn');
    expect(await owner(o.page, 8)).not.toBeNull();
    for (const v of [a, b]) {
      expect(v.errors).toEqual([]);
      await v.context.close();
    }
    await Promise.all(hung);
  }, 120_000);
});
