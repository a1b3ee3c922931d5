/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser: they use DOM types.)
// Issue 26, acceptance 2: a 1+0 chess game where White, in the browser, plays every move
// after the first as a premove, queued while Black thinks. Black is a scripted player over
// REST, so the test controls its think time and picks replies that leave the premove
// legal. Each premove must be played the moment Black's move arrives (White's clock, as
// the server measures it, loses far less than Black's think time), none twice (the
// server's move list is exactly the planned sequence); the premove is shown on the board
// and can be cancelled (Escape, the Cancel button) before it is queued for good.
import { Chess } from 'chess.js';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newVisitor, screenshot } from '../harness/browser.js';
import { requireTestBackends } from '../harness/stack.js';
import { useBrowserStack } from '../harness/suite.js';
import { nameYourself, turnStatus } from './helpers.js';

const env = requireTestBackends();
if ('skip' in env) console.warn(`[browser tests] skipped: ${env.skip}`);

const PREMOVES = 8;
/** How long the scripted Black thinks before each reply. */
const THINK_MS = 2_000;
/** The server forgives up to this much of each stretch of a clock (CLOCK_LAG_MS, default 300). */
const LAG_MS = 300;
/** White's quiet developing moves, tried in order as premoves. */
const WHITE_PLAN = ['g1f3', 'b1c3', 'f1c4', 'd2d3', 'c1e3', 'd1e2', 'a2a3', 'h2h3', 'b2b3', 'g2g3', 'a3a4', 'h3h4'];
/** Black's replies, tried in order (first one that leaves White's premove legal). */
const BLACK_PLAN = ['e7e5', 'b8c6', 'g8f6', 'd7d6', 'a7a6', 'h7h6', 'b7b6', 'g7g6', 'a6a5', 'h6h5', 'a8b8', 'h8g8'];

interface Snap {
  seq: number;
  moveCount: number;
  status: string;
  state: { fen: string; uci: string[] };
  clockState: { remainingMs: [number, number]; running: 0 | 1 | null; at: string } | null;
}

const square = (page: Page, sq: string) => page.locator(`.chess-sq[data-square="${sq}"]`);
const legalIn = (fen: string, uci: string) => new Chess(fen).moves({ verbose: true }).some((m) => m.from + m.to === uci);
/** The position with White to move (no en passant): where White's premove must fit. */
const asWhite = (fen: string) => fen.split(' ').map((f, i) => (i === 1 ? 'w' : i === 3 ? '-' : f)).join(' ');

describe.skipIf('skip' in env)('premove in a browser', () => {
  const suite = useBrowserStack((env as { databaseUrl: string }).databaseUrl);

  it('a 1+0 chess game of premoves: each played on arrival, none twice, clocks charged by the server as such', async () => {
    const base = suite.stack.baseUrl;
    const rest = async <T,>(method: string, path: string, body?: unknown, token?: string, key?: string): Promise<T> => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      if (key) headers['idempotency-key'] = key;
      const res = await fetch(`${base}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = (await res.json()) as T;
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const black = await rest<{ token: string }>('POST', '/players', { name: 'Scripted Sid' });
    const { game: created } = await rest<{ game: { id: string } }>('POST', '/games', { type: 'chess', opponent: { kind: 'open' }, clock: { initialSeconds: 60, incrementSeconds: 0 }, seat: 1 }, black.token);
    const id = created.id;
    const snap = async () => (await rest<{ game: Snap }>('GET', `/games/${id}`)).game;
    const blackMoves = async (uci: string) => {
      const g = await snap();
      return (await rest<{ game: Snap; seq: number }>('POST', `/games/${id}/moves`, { move: { uci }, expectedSeq: g.seq }, black.token, crypto.randomUUID())).game;
    };

    const { page, errors, context } = await newVisitor(suite.browser, base);
    await nameYourself(page, 'Premove Pia');
    await page.goto(`/games/${id}`);
    await page.getByRole('button', { name: 'Join this game' }).click();
    await expect.poll(() => turnStatus(page).textContent(), { timeout: 15_000 }).toBe('Your turn.');

    // White's first move is an ordinary one.
    await square(page, 'e2').click();
    await square(page, 'e4').click();
    await expect.poll(async () => (await snap()).moveCount).toBe(1);
    const played = ['e2e4'];
    const spent: { white: number[]; black: number[] } = { white: [], black: [] };

    for (let i = 0; i < PREMOVES; i++) {
      await expect.poll(() => turnStatus(page).textContent()).toMatch(/to move|thinking/);
      const before = await snap();
      expect(before.moveCount).toBe(played.length);
      const premove = WHITE_PLAN.find((u) => !played.includes(u) && legalIn(asWhite(before.state.fen), u))!;
      // Queue it by clicks; on the first round, cancel it once by Escape and once by the button.
      const queue = async () => {
        await square(page, premove.slice(0, 2)).click();
        await square(page, premove.slice(2, 4)).click();
        await expect.poll(() => page.locator('.chess-sq[data-premove]').count()).toBe(2);
      };
      await queue();
      if (i === 0) {
        await screenshot(page, 'premove-queued');
        await page.keyboard.press('Escape');
        await expect.poll(() => page.locator('.chess-sq[data-premove]').count()).toBe(0);
        await queue();
        await page.getByRole('button', { name: 'Cancel premove' }).click();
        await expect.poll(() => page.getByTestId('premove').count()).toBe(0);
        await queue();
      }
      expect(await page.getByTestId('premove').textContent()).toContain(`${premove.slice(0, 2)}-${premove.slice(2, 4)}`);

      // Black thinks, then replies with a move that leaves the premove legal.
      await new Promise((r) => setTimeout(r, THINK_MS));
      const reply = BLACK_PLAN.find((u) => {
        if (played.includes(u) || !legalIn(before.state.fen, u)) return false;
        const after = new Chess(before.state.fen);
        after.move({ from: u.slice(0, 2), to: u.slice(2, 4) });
        return !after.inCheck() && legalIn(after.fen(), premove);
      })!;
      const afterBlack = await blackMoves(reply);
      played.push(reply);
      // The premove goes out as soon as the page hears of Black's move.
      await expect.poll(async () => (await snap()).moveCount, { timeout: 5_000 }).toBe(played.length + 1);
      const afterWhite = await snap();
      played.push(premove);
      expect(afterWhite.state.uci).toEqual(played);
      expect(await page.locator('.chess-sq[data-premove]').count()).toBe(0);

      // The server's clocks: Black's think time cost Black; White's premove cost ~nothing.
      const spentBlack = before.clockState!.remainingMs[1] - afterBlack.clockState!.remainingMs[1];
      const spentWhite = afterBlack.clockState!.remainingMs[0] - afterWhite.clockState!.remainingMs[0];
      spent.white.push(spentWhite);
      spent.black.push(spentBlack);
      // (Black's first move may be on no clock: clocks may start only once each side has moved.)
      if (i > 0) expect(spentBlack, `Black's clock after reply ${i + 1}`).toBeGreaterThanOrEqual(THINK_MS - LAG_MS);
      expect(spentWhite, `White's clock for premove ${i + 1}`).toBeLessThan(THINK_MS / 4);
    }

    console.log(`[premove] server clocks, ms spent per move: White (premoves) ${spent.white.join(' ')}; Black (thinking ${THINK_MS}) ${spent.black.join(' ')}`);
    // The server's move list is the plan, each move once; nothing is sent after it.
    await page.waitForTimeout(1_500);
    const final = await snap();
    expect(final.status).toBe('active');
    expect(final.state.uci).toEqual(played);
    const res = await fetch(`${base}/api/games/${id}/events?after=0&limit=1000`);
    const { events } = (await res.json()) as { events: { kind: string; data: { move?: { uci: string } } }[] };
    expect(events.filter((e) => e.kind === 'move').map((e) => e.data.move!.uci)).toEqual(played);
    expect(final.clockState!.remainingMs[0]).toBeGreaterThan(final.clockState!.remainingMs[1]);
    await screenshot(page, 'premove-game');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('a premove queued while my own move is still being sent is played on the reply to it, once', async () => {
    const base = suite.stack.baseUrl;
    const call = async <T,>(method: string, path: string, body?: unknown, token?: string): Promise<T> => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(`${base}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = (await res.json()) as T;
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const black = await call<{ token: string }>('POST', '/players', { name: 'Scripted Sam' });
    const { game: created } = await call<{ game: { id: string } }>('POST', '/games', { type: 'chess', opponent: { kind: 'open' }, seat: 1 }, black.token);
    const id = created.id;
    const snap = async () => (await call<{ game: Snap }>('GET', `/games/${id}`)).game;

    const { page, errors, context } = await newVisitor(suite.browser, base);
    await nameYourself(page, 'Hasty Hal');
    await page.goto(`/games/${id}`);
    await page.getByRole('button', { name: 'Join this game' }).click();
    await expect.poll(() => turnStatus(page).textContent(), { timeout: 15_000 }).toBe('Your turn.');

    // White's move request is held for 2 s on its way (a slow link): it stays "being sent".
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/games/*/moves', async (route) => {
      await held;
      await route.continue();
    });
    await square(page, 'e2').click();
    await square(page, 'e4').click();
    await expect.poll(() => turnStatus(page).textContent()).toBe('Sending your move…');
    // Meanwhile White queues the knight's move, from the position e4 makes.
    await square(page, 'g1').click();
    await square(page, 'f3').click();
    await expect.poll(() => page.locator('.chess-sq[data-premove]').count()).toBe(2);
    expect(await page.getByTestId('premove').textContent()).toContain('g1-f3');
    expect(await turnStatus(page).textContent()).toBe('Sending your move…');
    await screenshot(page, 'premove-while-sending');
    release();
    await expect.poll(async () => (await snap()).moveCount, { timeout: 10_000 }).toBe(1);
    // Not played before Black answers; played the moment Black does.
    await page.waitForTimeout(500);
    expect((await snap()).state.uci).toEqual(['e2e4']);
    expect(await page.locator('.chess-sq[data-premove]').count()).toBe(2);
    const g = await snap();
    await call('POST', `/games/${id}/moves`, { move: { uci: 'e7e5' }, expectedSeq: g.seq }, black.token);
    await expect.poll(async () => (await snap()).moveCount, { timeout: 5_000 }).toBe(3);
    await page.waitForTimeout(1_000);
    expect((await snap()).state.uci).toEqual(['e2e4', 'e7e5', 'g1f3']);
    expect(await page.locator('.chess-sq[data-premove]').count()).toBe(0);
    await expect.poll(() => turnStatus(page).textContent()).toMatch(/Scripted Sam to move/);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
