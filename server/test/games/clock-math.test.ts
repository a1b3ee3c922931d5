import { describe, expect, it } from 'vitest';
import { afterMove, agentPauseBudgetMs, clockAt, deadline, firstMoveLate, rollClock, type ClockedRow } from '../../src/games/clock/clock.js';
import { ENGINES } from '@monkeytown/shared';
import { deadlineResult } from '../../src/games/clock/deadline.js';

const T0 = Date.parse('2026-11-30T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const rules = { lagMs: 300, firstMoveMs: 30_000, idleExpiryMs: 60_000, openExpiryMs: 120_000 };
const settings = { initialSeconds: 60, incrementSeconds: 2 };

describe('clock arithmetic (games/clock/clock.ts)', () => {
  it('a move is charged its time less the lag allowance, then gets the increment; the other clock runs', () => {
    const c = { remainingMs: [60_000, 60_000] as [number, number], running: 0 as const, at: iso(T0) };
    const m = afterMove(c, settings, 0, T0 + 5_000, rules, false, 5);
    expect(m.timeUp).toBe(false);
    expect(m.clock).toEqual({ remainingMs: [60_000 - 4_700 + 2_000, 60_000], running: 1, at: iso(T0 + 5_000) });
  });

  it('the allowance is bounded: a quick move gains only the increment, never more than the allowance back', () => {
    const c = { remainingMs: [60_000, 60_000] as [number, number], running: 0 as const, at: iso(T0) };
    expect(afterMove(c, settings, 0, T0 + 100, rules, false, 5).clock.remainingMs[0]).toBe(62_000);
    expect(afterMove(c, settings, 0, T0 + 300, rules, false, 5).clock.remainingMs[0]).toBe(62_000);
    expect(afterMove(c, settings, 0, T0 + 301, rules, false, 5).clock.remainingMs[0]).toBe(61_999);
  });

  it('a move after the flag time is time up; one inside the allowance still counts', () => {
    const c = { remainingMs: [1_000, 60_000] as [number, number], running: 0 as const, at: iso(T0) };
    expect(afterMove(c, settings, 0, T0 + 1_300, rules, false, 5).timeUp).toBe(false);
    expect(afterMove(c, settings, 0, T0 + 1_301, rules, false, 5).timeUp).toBe(true);
    // The deadline the scheduler uses is the same instant.
    expect(deadline({ status: 'active', clock_state: c }, T0, rules)!.getTime()).toBe(T0 + 1_300);
  });

  it('a move that ends the game stops both clocks', () => {
    const c = { remainingMs: [60_000, 60_000] as [number, number], running: 1 as const, at: iso(T0) };
    expect(afterMove(c, settings, 1, T0 + 1_000, rules, true, 5).clock.running).toBeNull();
  });

  it("first moves (lichess): neither costs nor earns time; the opponent gets a first-move deadline, and runs only after both moved", () => {
    const start = { remainingMs: [60_000, 60_000] as [number, number], running: null, at: iso(T0), firstMoveBy: iso(T0 + 30_000) };
    const white = afterMove(start, settings, 0, T0 + 20_000, rules, false, 1);
    expect(white).toEqual({ timeUp: false, clock: { remainingMs: [60_000, 60_000], running: null, at: iso(T0 + 20_000), firstMoveBy: iso(T0 + 50_000) } });
    expect(deadline({ status: 'active', clock_state: white.clock }, T0 + 20_000, rules)!.getTime()).toBe(T0 + 50_300);
    const black = afterMove(white.clock, settings, 1, T0 + 45_000, rules, false, 2);
    expect(black.clock).toEqual({ remainingMs: [60_000, 60_000], running: 0, at: iso(T0 + 45_000) });
    expect(firstMoveLate(white.clock, T0 + 50_300, rules.lagMs)).toBe(false);
    expect(firstMoveLate(white.clock, T0 + 50_301, rules.lagMs)).toBe(true);
    expect(firstMoveLate(black.clock, T0 + 999_999, rules.lagMs)).toBe(false);
  });

  it('a snapshot counts the running clock down from its commit, never below zero', () => {
    const c = { remainingMs: [10_000, 20_000] as [number, number], running: 1 as const, at: iso(T0) };
    expect(clockAt(c, T0 + 4_000)).toEqual({ remainingMs: [10_000, 16_000], running: 1, at: iso(T0 + 4_000) });
    expect(clockAt(c, T0 + 40_000).remainingMs).toEqual([10_000, 0]);
    const stopped = { ...c, running: null };
    expect(clockAt(stopped, T0 + 40_000)).toBe(stopped);
  });

  it('rollClock: a join sets the clocks full with a first-move deadline (none runs), an ending stops them, deadlines follow', () => {
    const row: ClockedRow = { status: 'open', turn: 0, move_count: 0, clock: settings, clock_state: null, flag_at: null };
    rollClock(row, new Date(T0), rules);
    expect(row.clock_state).toBeNull();
    expect(row.flag_at!.getTime()).toBe(T0 + rules.openExpiryMs);
    row.status = 'active';
    rollClock(row, new Date(T0 + 1_000), rules);
    expect(row.clock_state).toEqual({ remainingMs: [60_000, 60_000], running: null, at: iso(T0 + 1_000), firstMoveBy: iso(T0 + 31_000) });
    expect(row.flag_at!.getTime()).toBe(T0 + 1_000 + 30_000 + 300);
    // Both sides moved (a state change other than a move, e.g. after a takeback to move 2): seat 0's clock runs.
    row.move_count = 2;
    rollClock(row, new Date(T0 + 1_000), rules);
    expect(row.clock_state).toEqual({ remainingMs: [60_000, 60_000], running: 0, at: iso(T0 + 1_000) });
    expect(row.flag_at!.getTime()).toBe(T0 + 1_000 + 60_000 + 300);
    row.status = 'finished';
    rollClock(row, new Date(T0 + 11_000), rules);
    rollClock(row, new Date(T0 + 11_000), rules); // idempotent for one instant
    expect(row.clock_state).toEqual({ remainingMs: [50_300, 60_000], running: null, at: iso(T0 + 11_000) });
    expect(row.flag_at).toBeNull();
  });

  it('an untimed active game gets the idle expiry from its last state change', () => {
    const row: ClockedRow = { status: 'active', turn: 1, move_count: 0, clock: null, clock_state: null, flag_at: null };
    rollClock(row, new Date(T0), rules);
    expect(row.clock_state).toBeNull();
    expect(row.flag_at!.getTime()).toBe(T0 + rules.idleExpiryMs);
  });

  it("an agent's natural pause is capped by its clock: a thirtieth of what it has left, nothing when untimed", () => {
    const c = { remainingMs: [15_000, 60_000] as [number, number], running: 0 as const, at: iso(T0) };
    expect(agentPauseBudgetMs(c, 0, T0)).toBe(500);
    expect(agentPauseBudgetMs(c, 0, T0 + 12_000)).toBe(100); // its clock ran meanwhile
    expect(agentPauseBudgetMs(c, 1, T0 + 12_000)).toBe(2_000); // the other clock did not
    expect(agentPauseBudgetMs(null, 0, T0)).toBe(Infinity);
    // Before its first move (no clock runs): a quarter of the first-move wait at most.
    const waiting = { remainingMs: [7_200_000, 7_200_000] as [number, number], running: null, at: iso(T0), firstMoveBy: iso(T0 + 30_000) };
    expect(agentPauseBudgetMs(waiting, 0, T0)).toBe(7_500);
    expect(agentPauseBudgetMs(waiting, 0, T0 + 26_000)).toBe(1_000);
  });
});

describe('what a passed deadline ends a game with (games/clock/deadline.ts, material.ts)', () => {
  const chess = (fen: string) => ({ fen });
  const running = (seat: 0 | 1) => ({ remainingMs: [0, 0] as [number, number], running: seat, at: iso(T0) });

  it('flag: the other side wins on time', () => {
    expect(deadlineResult({ type: 'tictactoe', status: 'active', state: {}, clock_state: running(0) })).toEqual({ winner: 1, reason: 'timeout' });
    expect(deadlineResult({ type: 'connect4', status: 'active', state: {}, clock_state: running(1) })).toEqual({ winner: 0, reason: 'timeout' });
  });

  it('chess: a draw when the side not flagged cannot mate', () => {
    // White flags; Black has a bare king.
    expect(deadlineResult({ type: 'chess', status: 'active', state: chess('8/8/8/4k3/8/8/8/4K2R w - - 0 1'), clock_state: running(0) }))
      .toEqual({ winner: null, reason: 'timeout', detail: 'insufficient material' });
    // White flags; Black has a rook: Black wins.
    expect(deadlineResult({ type: 'chess', status: 'active', state: chess('8/8/8/4k2r/8/8/8/4K3 w - - 0 1'), clock_state: running(0) }))
      .toEqual({ winner: 1, reason: 'timeout' });
  });

  it('a side that never made its first move: aborted, no winner', () => {
    const waiting = { remainingMs: [60_000, 60_000] as [number, number], running: null, at: iso(T0), firstMoveBy: iso(T0 + 30_000) };
    expect(deadlineResult({ type: 'chess', status: 'active', state: {}, clock_state: waiting }))
      .toEqual({ winner: null, reason: 'aborted', detail: 'no first move in time' });
  });

  it('idle untimed games and open seats are abandoned', () => {
    expect(deadlineResult({ type: 'chess', status: 'active', state: {}, clock_state: null })).toEqual({ winner: null, reason: 'abandoned' });
    expect(deadlineResult({ type: 'chess', status: 'open', state: {}, clock_state: null })).toEqual({ winner: null, reason: 'abandoned' });
  });

  it.each([
    ['bare king', '4k3/8/8/8/8/8/8/4K3 w - - 0 1', 0, false],
    ['king and knight against a bare king', '4k3/8/8/8/8/8/8/4KN2 w - - 0 1', 0, false],
    ['king and knight against a queen', '4k3/8/8/8/8/8/3q4/4KN2 w - - 0 1', 0, false],
    ['king and knight against a pawn (helpmate possible)', '4k3/7p/8/8/8/8/8/4KN2 w - - 0 1', 0, true],
    ['king and bishop against a bare king', '4k3/8/8/8/8/8/8/4KB2 w - - 0 1', 0, false],
    ['two bishops on one colour against a rook', '4k3/8/8/8/8/8/6r1/3BKB2 w - - 0 1', 0, false],
    ['bishops on both colours', '4k3/8/8/8/8/8/8/2B1KB2 w - - 0 1', 0, true],
    ['bishop against an opposite-coloured bishop', '2b1k3/8/8/8/8/8/8/2B1K3 w - - 0 1', 0, true],
    ['bishop against a same-coloured bishop (c1, f8: both dark)', '4kb2/8/8/8/8/8/8/2B1K3 w - - 0 1', 0, false],
    ['two knights', '4k3/8/8/8/8/8/8/1N2KN2 w - - 0 1', 0, true],
    ['a pawn', '4k3/8/8/8/8/8/P7/4K3 w - - 0 1', 0, true],
    ['black: a rook', '4k2r/8/8/8/8/8/8/4K3 w - - 0 1', 1, true],
  ] as const)('chess mating material: %s → %s', (_name, fen, seat, can) => {
    // The chess engine's canStillWin hook (moved from the server's clock/material.ts).
    expect(ENGINES.chess.canStillWin(chess(fen) as never, seat)).toBe(can);
  });
});
