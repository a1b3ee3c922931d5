/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser: they use DOM types.)
// Othello in a real browser against a running stack (issue 24, acceptance 4):
// 1. a person plays a whole game against WildcardLemur with the mouse while a second
//    visitor watches: every position of the game, with the discs that flipped marked,
//    appears on the watcher's board as it happens (no reload); then the replay steps
//    through every move from the start position to the end;
// 2. on a phone (390×844), a person plays a whole game against TricksterMonkey by keyboard
//    alone: arrows move over the board, Enter plays, Tab reaches the pass button.
// Passes: the product has no way to seed a position (and the test adds none), so a pass
// comes from real play. A pass is an explicit move ({square: "pass"}): the side that must
// pass sees no legal-move dots and one button, "No square outflanks a disc: pass"; after it
// everyone's status line reads "<Black|White> had no move and passed" and the move list and
// the replay have a "pass" step. The person's policy (othello-policy.ts) makes one very
// likely (~95 % per game), not certain: in the mouse game the MONKEY is starved until it
// must pass (the person and the watcher read it), in the keyboard game the PERSON is
// squeezed by TricksterMonkey until they must pass (the button, by keyboard). Each test
// prints which passes happened and checks every one; the replay checks each pass step.
// Screenshots: e2e/artifacts/screenshots/othello-*.png.
import { legalSquares, othello, squareName, type OthelloState } from '@monkeytown/shared/games/othello';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newVisitor, PHONE, screenshot } from '../harness/browser.js';
import { requireTestBackends } from '../harness/stack.js';
import { useBrowserStack } from '../harness/suite.js';
import { nameYourself, startGame, turnStatus, waitTurnOrEnd, watchGame } from './helpers.js';
import { chooseSquare, type Style } from './othello-policy.js';

const env = requireTestBackends();
if ('skip' in env) console.warn(`[browser tests] skipped: ${env.skip}`);

const SEATS = ['Black', 'White'] as const;
const PASS_BUTTON = 'No square outflanks a disc: pass';

// Every board a page renders ("owners|flipped squares", owners a1…h8 as 0, 1 or .) and every
// pass line it shows, in order: what the viewer saw, however briefly, without a reload.
const RECORD_BOARDS = `
  window.__boards = [];
  window.__passes = [];
  new MutationObserver(() => {
    const sqs = [...document.querySelectorAll('.oth-sq')];
    if (sqs.length === 64) {
      const key = sqs.map((e) => e.getAttribute('data-owner') ?? '.').join('') + '|' +
        sqs.filter((e) => e.hasAttribute('data-flipped')).map((e) => e.getAttribute('data-sq')).join(',');
      if (window.__boards[window.__boards.length - 1] !== key) window.__boards.push(key);
    }
    const pass = document.querySelector('.oth-status [data-pass]')?.textContent;
    if (pass && window.__passes[window.__passes.length - 1] !== pass) window.__passes.push(pass);
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
`;
const boardKey = (s: OthelloState) =>
  `${s.cells.map((c) => c ?? '.').join('')}|${[...(s.last?.flipped ?? [])].sort((a, b) => a - b).map(squareName).join(',')}`;
const boardsSeen = (page: Page) => page.evaluate('window.__boards') as Promise<string[]>;
/** The ply of the first board a page showed (a page opened after the first moves saw only later ones). */
async function firstPly(page: Page): Promise<number> {
  await expect.poll(async () => (await boardsSeen(page)).length).toBeGreaterThan(0);
  // No pass is possible in the first plies: each ply so far added one disc to the four.
  return [...(await boardsSeen(page))[0]!.split('|')[0]!].filter((c) => c !== '.').length - 4;
}
const passesSeen = (page: Page) => page.evaluate('window.__passes') as Promise<string[]>;

const square = (page: Page, sq: string) => page.locator(`.oth-sq[data-sq="${sq}"]`);
const shownCells = (page: Page) => page.locator('.oth-sq').evaluateAll((els) => els.map((e) => (e.hasAttribute('data-owner') ? Number(e.getAttribute('data-owner')) : null)));
const shownLegal = (page: Page) => page.locator('.oth-sq[data-legal]').evaluateAll((els) => els.map((e) => e.getAttribute('data-sq')!));
const passLine = (page: Page) => page.locator('.oth-status [data-pass]');

interface Snapshot {
  status: string;
  turn: number | null;
  state: OthelloState;
  players: { seat: number; kind: string; name: string }[];
}

/** What the result banner says to `viewer` (null: a spectator) about a finished game. */
function bannerText(final: OthelloState, viewer: number | null, names: string[]): string {
  const [b, w] = final.discs;
  const score = `${Math.max(b, w)}–${Math.min(b, w)}`;
  const winner = final.result!.winner;
  if (winner === null) return `Draw by equal discs (${score})!`;
  return winner === viewer ? `You win by more discs (${score})! 🏆` : `${names[winner]} wins by more discs (${score}).`;
}

interface Game {
  history: OthelloState[];
  passes: { seat: number; ply: number }[];
  mySeat: number;
  names: string[];
}

/**
 * Play game `id` on `page` to its end: each turn, wait until the page shows the server's
 * position with the person to move, check the legal-move dots against the rules, pick a
 * square with `style` and play it with `act`. `onPly` sees every position in order.
 */
async function playToEnd(page: Page, baseUrl: string, id: string, style: Style, act: (move: string) => Promise<void>, onPly: (s: OthelloState) => Promise<void>): Promise<Game> {
  const server = async () => (await (await page.request.get(new URL(`/api/games/${id}`, baseUrl).toString())).json()).game as Snapshot;
  const history: OthelloState[] = [othello.initialState()];
  const passes: Game['passes'] = [];
  let mySeat = -1;
  let names: string[] = [];

  /** Our turn (or the end), once the page shows the position the server has. */
  const ourTurn = async (): Promise<Snapshot> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const over = (await waitTurnOrEnd(page, 60_000)) === 'over';
      const g = await server();
      mySeat = g.players.find((p) => p.kind === 'human')!.seat;
      names = g.players.sort((a, b) => a.seat - b.seat).map((p) => p.name);
      if ((g.status === 'finished' ? over : g.turn === mySeat && !over) && JSON.stringify(await shownCells(page)) === JSON.stringify(g.state.cells)) return g;
      if (Date.now() > deadline) throw new Error(`page (${await turnStatus(page).textContent()}) and server (${g.status}, ply ${g.state.moves}) disagree`);
      await page.waitForTimeout(100);
    }
  };
  /** The monkey's ply (if any) since our last one: the rules must agree with the server's position. */
  const record = async (s: OthelloState) => {
    if (s.moves === history.length) {
      const l = s.last!;
      expect(l.seat).not.toBe(mySeat);
      expect(othello.apply(history.at(-1)!, { square: l.square === null ? 'pass' : squareName(l.square) }).cells).toEqual(s.cells);
      history.push(s);
      if (l.square === null) {
        passes.push({ seat: l.seat, ply: s.moves });
        // The person is told the monkey had to pass.
        await expect.poll(() => passLine(page).textContent()).toBe(`${SEATS[l.seat]} had no move and passed`);
      }
      await onPly(s);
    }
    expect(s.moves, 'one monkey ply between two of ours').toBe(history.length - 1);
  };

  let g = await ourTurn();
  await onPly(history[0]!);
  await record(g.state);
  while (g.status !== 'finished') {
    const state = g.state;
    const move = chooseSquare(state, style);
    // The dots are exactly the squares that outflank a disc; with none, one pass button.
    expect((await shownLegal(page)).sort()).toEqual(legalSquares(state.cells, state.turn).map(squareName).sort());
    expect(await page.getByRole('button', { name: PASS_BUTTON }).count()).toBe(move === 'pass' ? 1 : 0);
    await act(move);
    const next = othello.apply(state, { square: move });
    history.push(next);
    if (move === 'pass') passes.push({ seat: mySeat, ply: next.moves });
    await onPly(next);
    g = await ourTurn();
    await record(g.state);
  }
  return { history, passes, mySeat, names };
}

const describePasses = (g: Game) =>
  g.passes.length === 0 ? 'no pass (neither side was ever left without a move)' : g.passes.map((p) => `${p.seat === g.mySeat ? 'the person' : 'the monkey'} (${SEATS[p.seat]}) passed at ply ${p.ply}`).join('; ');

describe.skipIf('skip' in env)('Othello in a browser', () => {
  const suite = useBrowserStack((env as { databaseUrl: string }).databaseUrl);

  it('a person plays WildcardLemur a whole game with the mouse while a watcher sees every flip live; the replay steps through it', async () => {
    const a = await newVisitor(suite.browser, suite.stack.baseUrl);
    const w = await newVisitor(suite.browser, suite.stack.baseUrl);
    for (const v of [a, w]) await v.context.addInitScript(RECORD_BOARDS);
    await nameYourself(a.page, 'Mona');
    await expect.poll(() => a.page.locator('input[name="type"][value="othello"]').isDisabled()).toBe(false);
    const id = await startGame(a.page, 'othello', 'wildcardlemur');
    await watchGame(w.page, id, '.oth-sq[data-sq="d4"][data-owner]');
    await w.page.evaluate(() => ((window as unknown as { __sameLoad: boolean }).__sameLoad = true));
    const from = new Map([[a, await firstPly(a.page)], [w, await firstPly(w.page)]]);

    let shotMid = false;
    const game = await playToEnd(
      a.page,
      suite.stack.baseUrl,
      id,
      'starve',
      async (move) => {
        if (move === 'pass') await a.page.getByRole('button', { name: PASS_BUTTON }).click();
        else await square(a.page, move).click();
      },
      async (s) => {
        // Both screens show this position, the discs that flipped marked, as it happens.
        for (const v of [a, w]) {
          if (s.moves < from.get(v)!) continue;
          await expect.poll(async () => (await boardsSeen(v.page)).includes(boardKey(s)), { timeout: 15_000, message: `ply ${s.moves} on ${v === w ? "the watcher's" : "the player's"} board` }).toBe(true);
        }
        if (s.last?.square === null) {
          const line = `${SEATS[s.last.seat]} had no move and passed`;
          await expect.poll(() => passesSeen(w.page), { message: `the watcher reads "${line}"` }).toContain(line);
          await screenshot(w.page, 'othello-watcher-pass');
        }
        if (!shotMid && s.moves >= 20 && s.discs.every((n) => n > 0)) {
          shotMid = true;
          // Each player's chip beside the name has the colour of that side's discs.
          const colour = (page: Page, selector: string) => page.locator(selector).first().evaluate((e) => getComputedStyle(e).backgroundColor);
          for (const seat of [0, 1]) {
            expect(await colour(w.page, `.player[data-seat="${seat}"] .seat-chip`), `${SEATS[seat]}'s chip`).toBe(await colour(w.page, `.oth-sq[data-owner="${seat}"] .oth-disc`));
          }
          await screenshot(a.page, 'othello-desktop');
          await screenshot(w.page, 'othello-watcher');
        }
      },
    );
    console.log(`[othello] mouse game vs WildcardLemur, ${game.history.length - 1} plies: ${describePasses(game)}`);

    // Every position since the watcher came appeared on its board, in the order played, in one page load.
    const seen = await boardsSeen(w.page);
    const at = game.history.slice(from.get(w)).map((s) => seen.indexOf(boardKey(s)));
    expect(at.every((i, k) => i >= 0 && (k === 0 || i > at[k - 1]!))).toBe(true);
    expect(await w.page.evaluate(() => (window as unknown as { __sameLoad?: boolean }).__sameLoad)).toBe(true);

    // The end: both see the same discs, the count under the board and the result.
    const final = game.history.at(-1)!;
    for (const [v, viewer] of [[a, game.mySeat], [w, null]] as const) {
      expect(await turnStatus(v.page).textContent()).toBe('Game over.');
      expect(await shownCells(v.page)).toEqual(final.cells);
      expect(await v.page.locator('.oth-count').textContent()).toBe(`Black ${final.discs[0]} · White ${final.discs[1]}`);
      await expect.poll(() => v.page.locator('.result-banner').textContent()).toContain(bannerText(final, viewer, game.names));
    }
    expect(await w.page.locator('.move-list li').count()).toBe(game.history.length - 1);
    await screenshot(a.page, 'othello-end');

    // The replay steps through every ply from the start position, passes included.
    await a.page.getByRole('link', { name: 'Replay' }).click();
    await a.page.waitForURL(new RegExp(`/games/${id}/replay$`));
    const step = a.page.locator('[data-testid="replay-step"]');
    const last = game.history.length - 1;
    // Numbered as the move list is: a row per full move, a pass included ("12… pass").
    const numbers = fullMoveNumbers(game.history.slice(1).map((s) => s.last!.seat));
    const rows = numbers.at(-1)!.no;
    await expect.poll(() => step.textContent()).toMatch(new RegExp(`^${rows}(\\.|…) .* · move ${rows} of ${rows}$`));
    await a.page.getByRole('button', { name: 'First move' }).click();
    await expect.poll(() => step.textContent()).toBe('Start position');
    expect(await shownCells(a.page)).toEqual(game.history[0]!.cells);
    for (let ply = 1; ply <= last; ply++) {
      await a.page.getByRole('button', { name: 'Next move' }).click();
      const s = game.history[ply]!;
      const label = s.last!.square === null ? 'pass' : squareName(s.last!.square);
      const n = numbers[ply - 1]!;
      await expect.poll(() => step.textContent()).toBe(`${n.no}${n.seat === 0 ? '.' : '…'} ${label} · ${SEATS[n.seat]} · move ${n.no} of ${rows}`);
      expect(await shownCells(a.page), `replay at ply ${ply}`).toEqual(s.cells);
      if (label === 'pass') {
        expect(await passLine(a.page).textContent()).toBe(`${SEATS[s.last!.seat]} had no move and passed`);
        await screenshot(a.page, 'othello-replay-pass');
      }
    }
    await a.page.getByRole('button', { name: 'Previous move' }).click();
    await expect.poll(() => shownCells(a.page)).toEqual(game.history[last - 1]!.cells);
    await screenshot(a.page, 'othello-replay');
    for (const v of [a, w]) {
      expect(v.errors).toEqual([]);
      await v.context.close();
    }
  }, 300_000);

  it('on a phone, a person plays TricksterMonkey a whole game by keyboard alone, passing with the keyboard when squeezed', async () => {
    const { page, errors, context } = await newVisitor(suite.browser, suite.stack.baseUrl, PHONE);
    await nameYourself(page, 'Keys');
    const key = (k: string) => page.keyboard.press(k);
    // The lobby by keyboard: radios take Space, the Play button Enter.
    const othelloChoice = page.locator('input[name="type"][value="othello"]');
    await expect.poll(() => othelloChoice.isDisabled()).toBe(false);
    await othelloChoice.focus();
    await key('Space');
    await page.locator('input[name="opponent"][value="trickstermonkey"]').focus();
    await key('Space');
    await page.getByRole('button', { name: 'Play', exact: true }).focus();
    await key('Enter');
    await page.waitForURL(/\/games\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    await page.locator('.oth-sq').first().waitFor();

    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-sq') ?? document.activeElement?.textContent ?? null);
    /** Tab (forwards) to the board's one tab stop. */
    const tabToBoard = async () => {
      for (let i = 0; i < 80 && !/^[a-h][1-8]$/.test((await focused()) ?? ''); i++) await key('Tab');
      expect(await focused()).toMatch(/^[a-h][1-8]$/);
    };
    let shot = false;
    const game = await playToEnd(
      page,
      suite.stack.baseUrl,
      id,
      'greedy',
      async (move) => {
        if (move === 'pass') {
          // The pass button comes right after the board.
          await tabToBoard();
          await key('Tab');
          expect(await focused()).toBe(PASS_BUTTON);
          await screenshot(page, 'othello-phone-must-pass');
          await key('Enter');
          // The button goes with the pass; the focus goes back to the board, not the page top.
          await expect.poll(focused, { message: 'the focus after passing' }).toMatch(/^[a-h][1-8]$/);
          return;
        }
        await tabToBoard();
        // Arrows move the focus one square (wrapping at the edges); Enter plays.
        const from = (await focused())!;
        const cols = ('abcdefgh'.indexOf(move[0]!) - 'abcdefgh'.indexOf(from[0]!) + 8) % 8;
        const rows = (Number(move[1]) - Number(from[1]) + 8) % 8;
        for (let i = 0; i < (cols <= 4 ? cols : 8 - cols); i++) await key(cols <= 4 ? 'ArrowRight' : 'ArrowLeft');
        for (let i = 0; i < (rows <= 4 ? rows : 8 - rows); i++) await key(rows <= 4 ? 'ArrowDown' : 'ArrowUp');
        expect(await focused()).toBe(move);
        await key('Enter');
      },
      async (s) => {
        if (!shot && s.moves >= 16) {
          shot = true;
          await screenshot(page, 'othello-phone-keyboard');
        }
      },
    );
    console.log(`[othello] keyboard game on a phone vs TricksterMonkey, ${game.history.length - 1} plies: ${describePasses(game)}`);

    const final = game.history.at(-1)!;
    expect(await shownCells(page)).toEqual(final.cells);
    expect(await page.locator('.oth-count').textContent()).toBe(`Black ${final.discs[0]} · White ${final.discs[1]}`);
    await expect.poll(() => page.locator('.result-banner').textContent()).toContain(bannerText(final, game.mySeat, game.names));
    expect(await page.locator('.move-list li').count()).toBe(game.history.length - 1);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'othello-phone-end');
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});

/** Each ply's full-move number as the move list writes it: a row per first-seat ply and its reply. */
function fullMoveNumbers(seats: readonly number[]): { no: number; seat: number }[] {
  let no = 0;
  let open = false; // the current row still has room for the second seat's ply
  return seats.map((seat) => {
    if (seat === 1 && open) open = false;
    else {
      no += 1;
      open = seat === 0;
    }
    return { no, seat };
  });
}
