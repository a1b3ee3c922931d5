/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser: they use DOM types.)
// Issue 10: a player's own move costs its page exactly one REST call, the move POST. The
// page applies the move from the POST's answer; the WebSocket event for the same seq that
// follows is a no-op, and nothing re-reads /events or the game. The opponent's page gets
// the move from the stream alone (no REST call at all).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newVisitor } from '../harness/browser.js';
import { requireTestBackends } from '../harness/stack.js';
import { useBrowserStack } from '../harness/suite.js';
import { discCount, nameYourself, startGame, turnStatus, waitTurnOrEnd } from './helpers.js';

const env = requireTestBackends();
if ('skip' in env) console.warn(`[browser tests] skipped: ${env.skip}`);

/** After the last expected update, how long a page may still make a late call we must see. */
const SETTLE_MS = 1500;

/**
 * Every /api request a page makes, as "METHOD /api/path" (query dropped), in order; the
 * request for the post-game review (a player's page asks once, as it sees the game end)
 * is kept apart in `reviews`.
 */
function recordApiCalls(page: Page): { calls: string[]; reviews: string[]; take: () => string[] } {
  const calls: string[] = [];
  const reviews: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!url.pathname.startsWith('/api/')) return;
    (url.pathname.endsWith('/review') ? reviews : calls).push(`${req.method()} ${url.pathname}`);
  });
  return { calls, reviews, take: () => calls.splice(0) };
}

/** Longer than the page waits for the stream before it reads trailing history from REST (useGame's STREAM_GRACE_MS). */
const PAST_STREAM_GRACE_MS = 6000;

const settle = (ms = SETTLE_MS) => new Promise((r) => setTimeout(r, ms));

describe.skipIf('skip' in env)('REST calls per own move', () => {
  const suite = useBrowserStack((env as { databaseUrl: string }).databaseUrl);

  it('against an agent: one POST per move, no refetch of /events or the game', async () => {
    const { page, errors, context } = await newVisitor(suite.browser, suite.stack.baseUrl);
    await nameYourself(page, 'Counter');
    const id = await startGame(page, 'connect4', 'wildcardlemur');
    const movePost = `POST /api/games/${id}/moves`;
    const api = recordApiCalls(page);

    let ours = 0;
    while (ours < 6 && (await waitTurnOrEnd(page)) === 'turn') {
      await settle(); // the page's load-time history fetch (or anything else) is not ours to count
      api.take();
      const before = await discCount(page);
      await page.locator('.c4-col[data-legal]').first().click();
      ours += 1;
      // The agent answers (or the game ends), then the page has time for any late call.
      await expect.poll(async () => (await discCount(page)) >= before + 2 || (await turnStatus(page).textContent()) === 'Game over.', { timeout: 20_000 }).toBe(true);
      await waitTurnOrEnd(page);
      await settle();
      expect(api.take(), `REST calls for own move ${ours}`).toEqual([movePost]);
    }
    expect(ours).toBeGreaterThanOrEqual(3);
    await settle(PAST_STREAM_GRACE_MS); // the history caught up from the stream: no late fallback read
    expect(api.take()).toEqual([]);
    // The review is asked for once if the game ended in front of the player, else not at all.
    const over = (await turnStatus(page).textContent()) === 'Game over.';
    expect(api.reviews).toEqual(over ? [`GET /api/games/${id}/review`] : []);
    console.log(`[own move] ${ours} own moves against WildcardLemur: ${ours} REST calls, all the move POST`);
    // The page still holds the whole game: every disc is in the move list.
    await expect.poll(() => page.locator('.move-list li').count()).toBe(await discCount(page));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('two people: the mover makes one POST per move (the winning one too), the other page none', async () => {
    const a = await newVisitor(suite.browser, suite.stack.baseUrl);
    const b = await newVisitor(suite.browser, suite.stack.baseUrl);
    await nameYourself(a.page, 'Ada');
    await nameYourself(b.page, 'Bea');
    const id = await startGame(a.page, 'tictactoe', 'open');
    await b.page.goto(`/games/${id}`);
    await b.page.getByRole('button', { name: /^Join/ }).click();
    await expect.poll(() => a.page.locator('.players').textContent(), { timeout: 15_000 }).toContain('Bea');
    await expect
      .poll(async () => (await turnStatus(a.page).textContent()) === 'Your turn.' || (await turnStatus(b.page).textContent()) === 'Your turn.', { timeout: 15_000 })
      .toBe(true);
    const x = (await turnStatus(a.page).textContent()) === 'Your turn.' ? a : b;
    const o = x === a ? b : a;
    await settle();
    const calls = new Map([[x, recordApiCalls(x.page)], [o, recordApiCalls(o.page)]]);
    const movePost = `POST /api/games/${id}/moves`;

    // X takes the top row, O the middle: X wins on the fifth move.
    const plan: [typeof x, number][] = [[x, 0], [o, 3], [x, 1], [o, 4], [x, 2]];
    for (const [i, [mover, cell]] of plan.entries()) {
      const watcher = mover === x ? o : x;
      expect(await waitTurnOrEnd(mover.page)).toBe('turn');
      await mover.page.locator(`.ttt-cell[data-cell="${cell}"][data-legal]`).click();
      for (const v of [x, o]) await expect.poll(() => discCount(v.page), { timeout: 10_000 }).toBe(i + 1);
      await settle();
      expect(calls.get(mover)!.take(), `mover's REST calls for move ${i + 1}`).toEqual([movePost]);
      expect(calls.get(watcher)!.take(), `opponent's REST calls for move ${i + 1}`).toEqual([]);
    }
    await expect.poll(() => x.page.locator('.result-banner').textContent()).toMatch(/You win/);
    await expect.poll(() => o.page.locator('.result-banner').textContent()).toMatch(/wins/);
    for (const v of [x, o]) {
      await expect.poll(() => v.page.locator('.move-list li').count()).toBe(5);
      expect(v.errors).toEqual([]);
    }
    await settle(PAST_STREAM_GRACE_MS); // the game.over came on the stream: no late fallback read
    expect([...calls.values()].flatMap((c) => c.take())).toEqual([]);
    // Each player's page asked for the post-game review once, as it saw the game end.
    for (const v of [x, o]) expect(calls.get(v)!.reviews).toEqual([`GET /api/games/${id}/review`]);
    for (const v of [x, o]) await v.context.close();
  });
});
