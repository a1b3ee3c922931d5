/// <reference lib="dom" />
// Issue 27, acceptance 1: the post-game review on the replay page, in a real browser
// against a running stack. A chess game with a known blunder (2. Qg4??) and a connect-four
// game with one (a three left open) are played through the API by two people and end; the
// replay shows the reviewing monkey's moments in words, the evaluation curve and both
// accuracies; clicking a moment jumps the board to it; the chess PGN download carries the
// review's comments and parses with chess.js. Screenshots: e2e/artifacts/screenshots/.
import { readFileSync } from 'node:fs';
import { Chess } from 'chess.js';
import type { APIRequestContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newVisitor, screenshot } from '../harness/browser.js';
import { requireTestBackends } from '../harness/stack.js';
import { useBrowserStack } from '../harness/suite.js';
import { discCount } from './helpers.js';

const env = requireTestBackends();
if ('skip' in env) console.warn(`[browser tests] skipped: ${env.skip}`);

/** Two people play `moves` (seat 0 first) through the REST API, then the loser resigns if the game is still on. */
async function playedGame(http: APIRequestContext, type: 'chess' | 'connect4', moves: unknown[], names: [string, string]): Promise<string> {
  const person = async (name: string) => (await (await http.post('/api/players', { data: { name } })).json()).token as string;
  const [a, b] = [await person(names[0]), await person(names[1])];
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const created = await (await http.post('/api/games', { headers: auth(a), data: { type, opponent: { kind: 'open' }, seat: 0 } })).json();
  const id = created.game.id as string;
  let game = (await (await http.post(`/api/games/${id}/join`, { headers: auth(b) })).json()).game;
  for (const [i, move] of moves.entries()) {
    const r = await http.post(`/api/games/${id}/moves`, { headers: auth(i % 2 ? b : a), data: { move, expectedSeq: game.seq } });
    expect(r.status(), await r.text()).toBe(200);
    game = (await r.json()).game;
  }
  if (game.status === 'active') expect((await http.post(`/api/games/${id}/resign`, { headers: auth(a) })).status()).toBe(200);
  return id;
}

async function openReview(page: Page, id: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Just watch for now' }).click();
  await page.goto(`/games/${id}/replay`);
  // The page asks until the troop's review is done (computed in the server's review worker).
  await page.locator('[data-testid="review-summary"]').waitFor({ timeout: 90_000 });
}

const curvePoints = (page: Page) =>
  page.locator('[data-testid="eval-curve"] polyline').evaluate((el) => (el.getAttribute('points') ?? '').trim().split(/\s+/).length);

describe.skipIf('skip' in env)('post-game review in a browser', () => {
  const suite = useBrowserStack((env as { databaseUrl: string }).databaseUrl);

  it('chess: the moments in words, the curve, a click jumps to 2. Qg4??, the PGN carries the review', async () => {
    const v = await newVisitor(suite.browser, suite.stack.baseUrl);
    const moves = ['e2e4', 'd7d5', 'd1g4', 'c8g4', 'e4d5', 'd8d5'].map((uci) => ({ uci }));
    const id = await playedGame(v.page.request, 'chess', moves, ['Ana', 'Bo']);
    await openReview(v.page, id);

    const review = v.page.locator('[data-testid="review"]');
    await expect.poll(() => review.locator('.review-moment[data-ply="3"]').textContent()).toMatch(/Turning point · Blunder.*2\. Qg4/);
    const words = await review.locator('.review-moments li', { has: v.page.locator('[data-ply="3"]') }).locator('.review-text').textContent();
    expect(words).toMatch(/2\. Qg4\?\? drops the queen: after 2… Bxg4 .* Black is a queen up\. Better was 2\. \S+/);
    expect(await curvePoints(v.page)).toBe(moves.length + 1);
    expect(await review.locator('[data-testid="review-player-0"] td').first().textContent()).toMatch(/^\d+%$/);

    // At the end the bishop that took the queen stands on g4; the moment brings the board back to 2. Qg4.
    await expect.poll(() => v.page.locator('.chess-sq[data-square="g4"]').getAttribute('data-piece')).toBe('b');
    await review.locator('.review-moment[data-ply="3"]').click();
    await expect.poll(() => v.page.locator('.chess-sq[data-square="g4"]').getAttribute('data-piece')).toBe('Q');
    await expect.poll(() => v.page.locator('[data-testid="replay-step"]').textContent()).toMatch(/^2\. Qg4\S* · White · move 2 of 3$/);
    await screenshot(v.page, 'review-chess');

    // The PGN download: the review's words after 2. Qg4, read back by chess.js.
    const [download] = await Promise.all([v.page.waitForEvent('download'), v.page.getByRole('link', { name: /Download PGN/ }).click()]);
    const pgn = readFileSync((await download.path())!, 'utf8');
    const chess = new Chess();
    chess.loadPgn(pgn);
    expect(chess.history()).toEqual(['e4', 'd5', 'Qg4', 'Bxg4', 'exd5', 'Qxd5']);
    const comments = chess.getComments().map((c) => c.comment);
    expect(comments.some((c) => /2\. Qg4\?\? drops the queen/.test(c))).toBe(true);
    expect(comments.some((c) => /review: .*accuracy/.test(c))).toBe(true);
    expect(v.errors).toEqual([]);
    await v.context.close();
  }, 180_000);

  it('connect four: the moment in the game\'s own words, the curve, a click jumps to it', async () => {
    const v = await newVisitor(suite.browser, suite.stack.baseUrl);
    // A builds columns 4, 3, 5 on the bottom row; B stacks on column 4, then plays away in
    // column 1 (ply 4) instead of closing the row: A's open three wins whatever B does.
    const moves = [3, 3, 2, 0, 4, 6, 1].map((column) => ({ column }));
    const id = await playedGame(v.page.request, 'connect4', moves, ['Cora', 'Dov']);
    await openReview(v.page, id);

    const review = v.page.locator('[data-testid="review"]');
    const blunder = review.locator('.review-moment[data-ply="4"]');
    await expect.poll(() => blunder.textContent()).toMatch(/Turning point · Blunder.*Dov · column 1/);
    const words = await review.locator('.review-moments li', { has: v.page.locator('[data-ply="4"]') }).locator('.review-text').textContent();
    expect(words).toMatch(/^.*Putting Dov's disc in column 1 (let Cora build two threats at once|left Cora a winning drop|let Cora force a win).* Better was column \d/);
    expect(await curvePoints(v.page)).toBe(moves.length + 1);

    await blunder.click();
    await expect.poll(() => discCount(v.page)).toBe(4);
    await screenshot(v.page, 'review-connect4');
    // Connect four has no standard record format: no download is offered.
    expect(await v.page.getByRole('link', { name: /Download/ }).count()).toBe(0);
    expect(v.errors).toEqual([]);
    await v.context.close();
  }, 180_000);
});
