/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser: they use DOM types.)
// Chess in a real browser against a running stack: two people play (castling by drag, a
// promotion through the picker) while a third watches on a phone; the replay steps back
// and offers the PGN; a person plays MentorOrangutan by keyboard alone on a phone, with a
// hint, and resigns; a person plays WildcardLemur a whole game with the mouse (moves picked
// by a small greedy policy, chess-policy.ts, since the agent's replies are random),
// castling by drag and promoting through the picker, to mate or resignation; axe-core
// audits the chess pages. Screenshots: e2e/artifacts/screenshots/.
import type { ChessState } from '@monkeytown/shared';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newVisitor, PHONE, screenshot } from '../harness/browser.js';
import { requireTestBackends } from '../harness/stack.js';
import { useBrowserStack } from '../harness/suite.js';
import { chooseMove } from './chess-policy.js';
import { audit, byTurn, joinFromLobby, nameYourself, startGame, turnStatus, watchGame, waitTurnOrEnd } from './helpers.js';

const env = requireTestBackends();
if ('skip' in env) console.warn(`[browser tests] skipped: ${env.skip}`);

const square = (page: Page, sq: string) => page.locator(`.chess-sq[data-square="${sq}"]`);
const pieceOn = (page: Page, sq: string) => square(page, sq).getAttribute('data-piece');

/** The board the page shows, as a FEN placement field ("rnbqkbnr/pppppppp/8/…"). */
async function shownPlacement(page: Page): Promise<string> {
  const pieces = new Map(await page.locator('.chess-sq').evaluateAll((els) => els.map((e) => [e.getAttribute('data-square'), e.getAttribute('data-piece')] as const)));
  return [8, 7, 6, 5, 4, 3, 2, 1]
    .map((rank) => [...'abcdefgh'].map((file) => pieces.get(`${file}${rank}`) ?? '1').join('').replace(/1+/g, (ones) => String(ones.length)))
    .join('/');
}

/** The person's session token (the page keeps it in localStorage). */
const tokenOf = (page: Page) =>
  page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('monkeytown.session'));
    return JSON.parse(localStorage.getItem(key ?? '') ?? '{}').token as string;
  });

async function clickMove(page: Page, from: string, to: string): Promise<void> {
  await square(page, from).click();
  await square(page, to).click();
}

/** Drag with the mouse: press on the piece, move across the board, release on the target. */
async function dragMove(page: Page, from: string, to: string): Promise<void> {
  const a = (await square(page, from).boundingBox())!;
  const b = (await square(page, to).boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

describe.skipIf('skip' in env)('chess in a browser', () => {
  const suite = useBrowserStack((env as { databaseUrl: string }).databaseUrl);

  it('two people play (castling by drag, promotion by the picker) while a third watches live on a phone; the replay steps back', async () => {
    const a = await newVisitor(suite.browser, suite.stack.baseUrl);
    const b = await newVisitor(suite.browser, suite.stack.baseUrl);
    const c = await newVisitor(suite.browser, suite.stack.baseUrl, PHONE);
    await nameYourself(a.page, 'Carla');
    await nameYourself(b.page, 'Dima');
    await expect.poll(() => a.page.locator('input[name="type"][value="chess"]').isDisabled()).toBe(false);
    const id = await startGame(a.page, 'chess', 'open');
    await joinFromLobby(b.page, 'Carla', 'Chess', id);
    await watchGame(c.page, id, '.chess-sq[data-square="e2"][data-piece="P"]');

    const [white, black] = await byTurn(a, b);
    // Black sees the board from its own side: rank 1 at the top.
    expect(await black.page.locator('.chess-sq').first().getAttribute('data-square')).toBe('h1');

    // [mover, from, to, how, piece expected on `to` afterwards]
    const plan: [typeof a, string, string, 'click' | 'drag' | 'promote', string][] = [
      [white, 'e2', 'e4', 'click', 'P'], [black, 'd7', 'd5', 'click', 'p'],
      [white, 'e4', 'd5', 'drag', 'P'], [black, 'c7', 'c6', 'click', 'p'],
      [white, 'd5', 'c6', 'click', 'P'], [black, 'g8', 'f6', 'click', 'n'],
      [white, 'c6', 'b7', 'click', 'P'], [black, 'e7', 'e6', 'click', 'p'],
      [white, 'g1', 'f3', 'click', 'N'], [black, 'f8', 'e7', 'click', 'b'],
      [white, 'f1', 'c4', 'click', 'B'], [black, 'e8', 'g8', 'click', 'k'],
      [white, 'e1', 'g1', 'drag', 'K'], [black, 'b8', 'd7', 'click', 'n'],
      [white, 'b7', 'a8', 'promote', 'Q'],
    ];
    for (const [i, [mover, from, to, how, piece]] of plan.entries()) {
      expect(await waitTurnOrEnd(mover.page)).toBe('turn');
      if (how === 'drag') await dragMove(mover.page, from, to);
      else await clickMove(mover.page, from, to);
      if (how === 'promote') {
        const picker = mover.page.getByRole('dialog', { name: 'Promote the pawn to' });
        await picker.waitFor();
        await screenshot(mover.page, 'chess-promotion-picker');
        await picker.getByRole('button', { name: 'Queen' }).click();
      }
      // Everyone sees the move live, the spectator included.
      for (const v of [a, b, c]) {
        await expect.poll(() => pieceOn(v.page, to), { timeout: 15_000, message: `move ${i + 1} ${from}-${to} (${how}) seen by ${v === c ? 'the spectator' : v === mover ? 'the mover' : 'the opponent'}` }).toBe(piece);
      }
      if (i === 1) {
        // Legal-move dots: the selected knight shows its targets (e2, f3, h3); Escape drops it.
        expect(await waitTurnOrEnd(white.page)).toBe('turn');
        await square(white.page, 'g1').click();
        expect(await white.page.locator('.chess-sq[data-target]').evaluateAll((els) => els.map((e) => e.getAttribute('data-square')).sort())).toEqual(['e2', 'f3', 'h3']);
        await white.page.keyboard.press('Escape');
        expect(await white.page.locator('.chess-sq[data-target]').count()).toBe(0);
      }
    }
    // Castling moved the rooks too; the promotion left a queen.
    for (const v of [a, b, c]) {
      expect(await pieceOn(v.page, 'f1')).toBe('R');
      expect(await pieceOn(v.page, 'f8')).toBe('r');
      expect(await v.page.locator('.chess-sq[data-last]').count()).toBe(2);
    }
    const list = await c.page.locator('.move-list').textContent();
    expect(list).toContain('O-O');
    expect(list).toContain('bxa8=Q');
    await screenshot(white.page, 'chess-desktop');
    await screenshot(c.page, 'chess-phone-spectator');
    expect(await c.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    // Black resigns: the game ends for everyone.
    await black.page.getByRole('button', { name: 'Resign' }).click();
    await black.page.getByRole('button', { name: 'Yes, resign' }).click();
    for (const v of [a, b, c]) await expect.poll(() => turnStatus(v.page).textContent(), { timeout: 15_000 }).toBe('Game over.');

    // The replay steps back through the game and offers the PGN.
    await c.page.goto(`/games/${id}/replay`);
    await expect.poll(() => c.page.locator('[data-testid="replay-step"]').textContent()).toBe('8. bxa8=Q · White · move 8 of 8');
    await c.page.getByRole('button', { name: 'Previous move' }).click();
    await expect.poll(() => pieceOn(c.page, 'a8')).toBe('r');
    await expect.poll(() => pieceOn(c.page, 'b7')).toBe('P');
    await c.page.getByRole('button', { name: 'First move' }).click();
    await expect.poll(() => pieceOn(c.page, 'e2')).toBe('P');
    const link = c.page.getByRole('link', { name: /Download PGN/ });
    const pgn = await (await c.page.request.get(new URL((await link.getAttribute('href'))!, suite.stack.baseUrl).toString())).text();
    expect(pgn).toContain('[Result "1-0"]');
    expect(pgn).toContain('8. bxa8=Q');
    await screenshot(c.page, 'chess-replay-phone');
    expect(await audit(c.page)).toEqual([]);
    for (const v of [a, b, c]) {
      expect(v.errors).toEqual([]);
      await v.context.close();
    }
  }, 240_000);

  it('on a phone, a person plays MentorOrangutan by keyboard alone, takes a hint, reads its reasons and resigns', async () => {
    const { page, errors, context } = await newVisitor(suite.browser, suite.stack.baseUrl, PHONE);
    await nameYourself(page, 'Keys');
    await page.locator('input[name="type"][value="chess"]').check();
    // Pick White so the first move is ours (the lobby's seat choice is random): create via the API.
    const token = await tokenOf(page);
    const created = await page.request.post(new URL('/api/games', suite.stack.baseUrl).toString(), {
      headers: { authorization: `Bearer ${token}` },
      data: { type: 'chess', opponent: { kind: 'agent', agentId: 'mentororangutan' }, seat: 0 },
    });
    const id = (await created.json()).game.id as string;
    await page.goto(`/games/${id}`);
    expect(await waitTurnOrEnd(page)).toBe('turn');

    // A hint highlights a from and a to square.
    await page.getByRole('button', { name: /Hint from MentorOrangutan/ }).click();
    await expect.poll(() => page.locator('.chess-sq[data-hint]').count(), { timeout: 30_000 }).toBe(2);
    expect((await page.locator('.hint-text').textContent())?.length).toBeGreaterThan(10);

    // Keyboard only: the board's focus starts on e2; Enter picks up, arrows move, Enter puts down.
    await page.locator('.chess-sq[tabindex="0"]').focus();
    const keys = async (...k: string[]) => {
      for (const key of k) await page.keyboard.press(key);
    };
    await keys('Enter', 'ArrowUp', 'ArrowUp', 'Enter'); // e2-e4
    await expect.poll(() => pieceOn(page, 'e4')).toBe('P');
    expect(await waitTurnOrEnd(page)).toBe('turn');
    await keys('ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowRight', 'ArrowRight', 'Enter', 'ArrowUp', 'ArrowUp', 'ArrowLeft', 'Enter'); // g1-f3
    await expect.poll(() => pieceOn(page, 'f3')).toBe('N');
    expect(await waitTurnOrEnd(page)).toBe('turn');
    const reasons = await page.locator('.reason-list li .reason-text').allTextContents();
    expect(reasons.length).toBeGreaterThanOrEqual(2);
    for (const r of reasons) expect(r).toMatch(/lesson/); // MentorOrangutan teaches with every move
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'chess-phone-keyboard');
    expect(await audit(page)).toEqual([]);

    // Resign by keyboard too.
    await page.getByRole('button', { name: 'Resign' }).focus();
    await keys('Enter');
    await page.getByRole('button', { name: 'Yes, resign' }).focus();
    await keys('Enter');
    await expect.poll(() => page.locator('.result-banner').textContent()).toMatch(/MentorOrangutan wins|resign/i);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('a person plays WildcardLemur a whole game with the mouse: castles by drag, promotes through the picker, ends by mate or resignation', async () => {
    const { page, errors, context } = await newVisitor(suite.browser, suite.stack.baseUrl);
    await nameYourself(page, 'Greedy');
    const token = await tokenOf(page);
    const api = (p: string) => new URL(p, suite.stack.baseUrl).toString();
    const headers = { authorization: `Bearer ${token}` };
    // White, so the person moves first (the lobby's seat choice is random): create via the API.
    const created = await page.request.post(api('/api/games'), { headers, data: { type: 'chess', opponent: { kind: 'agent', agentId: 'wildcardlemur' }, seat: 0 } });
    expect(created.ok(), await created.text()).toBe(true);
    const id = (await created.json()).game.id as string;
    type Snapshot = { status: string; turn: number | null; state: ChessState };
    const server = async () => (await (await page.request.get(api(`/api/games/${id}`), { headers })).json()).game as Snapshot;
    await page.goto(`/games/${id}`);

    /** Our turn (or the end), once the page shows the position the server has. */
    const ourTurn = async (): Promise<Snapshot> => {
      const deadline = Date.now() + 45_000;
      for (;;) {
        const over = (await waitTurnOrEnd(page, 45_000)) === 'over';
        const g = await server();
        if (g.status === 'finished' ? over : g.turn === 0 && !over && (await shownPlacement(page)) === g.state.fen.split(' ')[0]) return g;
        if (Date.now() > deadline) throw new Error(`page (${await turnStatus(page).textContent()}, ${await shownPlacement(page)}) and server (${g.status}, ${g.state.fen}) disagree`);
        await page.waitForTimeout(100);
      }
    };

    const BUDGET = 120; // plies
    const LABEL = { q: 'Queen', r: 'Rook', b: 'Bishop', n: 'Knight' } as Record<string, string>;
    let castle: { ply: number; san: string } | null = null;
    let promotion: { ply: number; san: string } | null = null;
    let g = await ourTurn();
    while (g.status !== 'finished' && g.state.san.length < BUDGET) {
      const m = chooseMove(g.state.fen, { seen: g.state.repetition, mate: promotion !== null });
      const ply = g.state.san.length;
      const castling = m.isKingsideCastle() || m.isQueensideCastle();
      if (castling) {
        // The king is dragged two squares; the rook comes along.
        await dragMove(page, m.from, m.to);
        const rookTo = m.isKingsideCastle() ? 'f1' : 'd1';
        await expect.poll(() => pieceOn(page, m.to), { message: `castling ${m.san} by drag ${m.from}-${m.to}: the king` }).toBe('K');
        expect(await pieceOn(page, rookTo), `castling ${m.san}: the rook on ${rookTo}`).toBe('R');
        expect(await pieceOn(page, m.isKingsideCastle() ? 'h1' : 'a1')).toBeNull();
        castle = { ply, san: m.san };
      } else {
        await clickMove(page, m.from, m.to);
        if (m.promotion) {
          const picker = page.getByRole('dialog', { name: 'Promote the pawn to' });
          await picker.waitFor();
          expect(await pieceOn(page, m.from), 'the pawn waits for the pick').toBe('P');
          await screenshot(page, 'chess-vs-agent-promotion-picker');
          await picker.getByRole('button', { name: LABEL[m.promotion] }).click();
          await expect.poll(() => pieceOn(page, m.to), { message: `promotion ${m.san}: the new piece on ${m.to}` }).toBe(m.promotion.toUpperCase());
          expect(m.san).toContain(`=${m.promotion.toUpperCase()}`);
          promotion = { ply, san: m.san };
        }
      }
      // The server took exactly this move.
      await expect.poll(async () => (await server()).state.uci[ply] ?? null, { timeout: 15_000, message: `move ${ply + 1} ${m.san} reached the server` }).toBe(m.from + m.to + (m.promotion ?? ''));
      g = await ourTurn();
    }

    expect(castle, `the person never castled in ${g.state.san.length} plies: ${g.state.san.join(' ')}`).not.toBeNull();
    expect(promotion, `the person never promoted in ${g.state.san.length} plies: ${g.state.san.join(' ')}`).not.toBeNull();
    // The move list (and the server) show both in notation.
    const list = await page.locator('.move-list').textContent();
    for (const { ply, san } of [castle!, promotion!]) {
      expect(g.state.san[ply]).toBe(san);
      expect(list).toContain(san);
    }
    expect(castle!.san).toMatch(/^O-O(-O)?[+#]?$/);
    expect(promotion!.san).toMatch(/=[QRBN]/);

    if (g.status !== 'finished') {
      await page.getByRole('button', { name: 'Resign' }).click();
      await page.getByRole('button', { name: 'Yes, resign' }).click();
    }
    await expect.poll(() => turnStatus(page).textContent(), { timeout: 15_000 }).toBe('Game over.');
    const banner = page.locator('.result-banner');
    await expect.poll(() => banner.textContent()).toMatch(g.status === 'finished' ? /You win by checkmate/ : /WildcardLemur wins by resignation/);
    await screenshot(page, 'chess-vs-agent-end');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
