/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser: they use DOM types.)
// Page-level steps shared by the browser tests, phrased as what a player does.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { GameType } from '@monkeytown/shared/schemas';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export async function nameYourself(page: Page, name: string): Promise<void> {
  await page.goto('/');
  const dialog = page.getByRole('dialog', { name: /Welcome to Monkeytown/ });
  await dialog.waitFor();
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: "Let's play" }).click();
  await dialog.waitFor({ state: 'detached' });
}

export async function startGame(page: Page, type: GameType, opponent: string): Promise<string> {
  await page.locator(`input[name="type"][value="${type}"]`).check();
  await page.locator(`input[name="opponent"][value="${opponent}"]`).check();
  await page.getByRole('button', { name: opponent === 'open' ? 'Open a seat' : 'Play' }).click();
  await page.waitForURL(/\/games\/[0-9a-f-]{36}$/);
  await page.locator('[data-testid="turn-status"]').waitFor();
  return page.url().split('/').pop()!;
}

export const turnStatus = (page: Page) => page.locator('[data-testid="turn-status"]');

/** The second player joins `host`'s open game from the lobby's live list (no reload). */
export async function joinFromLobby(page: Page, host: string, gameName: string, id: string): Promise<void> {
  const join = page.getByRole('button', { name: new RegExp(`Join ${host}'s ${gameName} game`) });
  await join.waitFor({ timeout: 15_000 });
  await join.click();
  await page.waitForURL(new RegExp(`/games/${id}$`));
}

/** A visitor who only watches opens the game; resolves when `ready` (a selector) shows. */
export async function watchGame(page: Page, id: string, ready: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Just watch for now' }).click();
  await page.goto(`/games/${id}`);
  // The shown one: while a lazily loaded board replaces its first render, React may keep
  // the old tree in the page, hidden (seen in CI run 17: two d4 squares, one hidden).
  await page.locator(`${ready}:visible`).waitFor();
}

/** Seats are random: [the player whose page says "Your turn." first, the other]. */
export async function byTurn<T extends { page: Page }>(a: T, b: T): Promise<[T, T]> {
  const mine = async (v: T) => (await turnStatus(v.page).textContent()) === 'Your turn.';
  await expect.poll(async () => (await mine(a)) || (await mine(b)), { timeout: 15_000 }).toBe(true);
  return (await mine(a)) ? [a, b] : [b, a];
}
export const connection = (page: Page) => page.locator('.conn');

/** Owners of every cell, row-major (tic-tac-toe) or column-major (connect four). */
export async function boardOwners(page: Page): Promise<(string | null)[]> {
  return page.locator('.ttt-cell, .c4-slot').evaluateAll((els) => els.map((e) => e.getAttribute('data-owner')));
}

export async function discCount(page: Page): Promise<number> {
  return page.locator('.ttt-cell[data-owner], .c4-slot[data-owner]').count();
}

/** Wait until it is our turn or the game is over; returns which. */
export async function waitTurnOrEnd(page: Page, timeoutMs = 30_000): Promise<'turn' | 'over'> {
  await page.waitForFunction(
    () => {
      const s = document.querySelector('[data-testid="turn-status"]')?.textContent ?? '';
      return s === 'Your turn.' || s === 'Game over.';
    },
    undefined,
    { timeout: timeoutMs },
  );
  return (await turnStatus(page).textContent()) === 'Game over.' ? 'over' : 'turn';
}

/** Play the first legal tic-tac-toe cell from a preference order. */
export async function playTicTacToeMove(page: Page, prefer = [4, 0, 2, 6, 8, 1, 3, 5, 7]): Promise<number> {
  for (const cell of prefer) {
    const el = page.locator(`.ttt-cell[data-cell="${cell}"][data-legal]`);
    if ((await el.count()) > 0) {
      await el.click();
      return cell;
    }
  }
  throw new Error('no legal cell to play');
}

/** Play tic-tac-toe until the game ends; returns the number of our moves. */
export async function playTicTacToeToEnd(page: Page): Promise<number> {
  let moves = 0;
  for (let i = 0; i < 9; i++) {
    if ((await waitTurnOrEnd(page)) === 'over') return moves;
    const before = await discCount(page);
    await playTicTacToeMove(page);
    moves += 1;
    // The optimistic mark shows at once.
    await page.waitForFunction((n) => document.querySelectorAll('.ttt-cell[data-owner]').length > n, before);
  }
  await waitTurnOrEnd(page);
  return moves;
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical WCAG 2.0/2.1 A/AA violations on the page, one line each. */
export async function audit(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} @ ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}
