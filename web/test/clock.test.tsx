import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClockState } from '@monkeytown/shared/schemas';
import { Clock, type ClockProps } from '../src/components/game/Clock';
import { formatClock, lowTimeMs } from '../src/lib/clock';

vi.mock('../src/lib/sound', () => ({ playCue: vi.fn(() => true) }));
const { playCue } = await import('../src/lib/sound');

// `at` an hour in the past: the page counts from when it received the state, not from `at`.
const clock = (remainingMs: [number, number], running: 0 | 1 | null): ClockState => ({ remainingMs, running, at: '2026-11-30T11:00:00.000Z' });
const props = (over: Partial<ClockProps>): ClockProps => ({
  state: clock([65_000, 30_000], 0),
  seat: 0,
  settings: { initialSeconds: 60, incrementSeconds: 0 },
  live: true,
  owner: 'Alice',
  mine: false,
  ...over,
});
const time = (seat: number) => document.querySelector(`.clock[data-seat="${seat}"] .clock-time`)!.textContent;
const el = (seat: number) => document.querySelector(`.clock[data-seat="${seat}"]`)!;
const tick = (ms: number) => act(() => void vi.advanceTimersByTime(ms));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
  vi.mocked(playCue).mockClear();
});
afterEach(() => vi.useRealTimers());

describe('Clock', () => {
  it("counts the running seat down from the moment the state arrived; the other clock stands", () => {
    const state = clock([65_000, 30_000], 0);
    render(
      <>
        <Clock {...props({ state, seat: 0 })} />
        <Clock {...props({ state, seat: 1, owner: 'Bob' })} />
      </>,
    );
    expect([time(0), time(1)]).toEqual(['1:05', '0:30']);
    expect(el(0).hasAttribute('data-running')).toBe(true);
    tick(1_000);
    expect([time(0), time(1)]).toEqual(['1:04', '0:30']);
    tick(4_000);
    expect([time(0), time(1)]).toEqual(['1:00', '0:30']);
  });

  it('takes a new reading at once (a move, or the snapshot after a reload), whatever it counted before', () => {
    const { rerender } = render(<Clock {...props({ state: clock([65_000, 30_000], 0) })} />);
    tick(3_000);
    expect(time(0)).toBe('1:02');
    // The server says 40 s are left, and seat 1's clock runs now: seat 0 stands at 0:40.
    rerender(<Clock {...props({ state: clock([40_000, 30_000], 1) })} />);
    expect(time(0)).toBe('0:40');
    tick(5_000);
    expect(time(0)).toBe('0:40');
  });

  it("before each side's first move no clock ticks; the seat to move shows its first-move wait counting down", () => {
    const state: ClockState = { remainingMs: [60_000, 60_000], running: null, at: '2026-11-30T11:00:00.000Z', firstMoveBy: '2026-11-30T11:00:30.000Z' };
    render(
      <>
        <Clock {...props({ state, seat: 0, turn: 0 })} />
        <Clock {...props({ state, seat: 1, owner: 'Bob', turn: 0 })} />
      </>,
    );
    expect([time(0), time(1)]).toEqual(['1:00', '1:00']);
    expect(el(0).hasAttribute('data-running')).toBe(false);
    expect(el(0).querySelector('.clock-first-move')!.textContent).toBe('First move: 0:30');
    expect(el(1).querySelector('.clock-first-move')).toBeNull();
    tick(5_000);
    expect([time(0), time(1)]).toEqual(['1:00', '1:00']);
    expect(el(0).querySelector('.clock-first-move')!.textContent).toBe('First move: 0:25');
  });

  it('shows tenths below ten seconds', () => {
    render(<Clock {...props({ state: clock([10_500, 30_000], 0) })} />);
    expect(time(0)).toBe('0:11');
    tick(600);
    expect(time(0)).toBe('0:09.9');
    tick(1_250);
    expect(time(0)).toBe('0:08.6');
  });

  it('warns at low time: colour, the sound once on my own clock, one announcement (not one per second)', () => {
    render(<Clock {...props({ state: clock([9_000, 30_000], 0), mine: true })} />);
    expect(lowTimeMs({ initialSeconds: 60, incrementSeconds: 0 })).toBe(7_500);
    const live = () => el(0).querySelector('[aria-live="polite"]')!.textContent;
    expect(el(0).hasAttribute('data-low')).toBe(false);
    expect(live()).toBe('');
    tick(1_600);
    expect(el(0).hasAttribute('data-low')).toBe(true);
    expect(live()).toBe('You have 8 seconds left.');
    expect(playCue).toHaveBeenCalledTimes(1);
    expect(playCue).toHaveBeenCalledWith('lowTime');
    tick(3_000);
    expect(live()).toBe('You have 8 seconds left.');
    expect(playCue).toHaveBeenCalledTimes(1);
    // The visible time is a silent timer; only the announcement region is live.
    expect(screen.getByRole('timer').getAttribute('aria-live')).toBeNull();
  });

  it("announces a spectator's or an opponent's low time by name, without the sound", () => {
    render(<Clock {...props({ state: clock([8_000, 30_000], 0), owner: 'Alice', mine: false })} />);
    tick(600);
    expect(el(0).querySelector('[aria-live="polite"]')!.textContent).toBe('Alice has 8 seconds left.');
    expect(playCue).not.toHaveBeenCalled();
  });

  it('stops at 0:00 and shows the flag, never below', () => {
    render(<Clock {...props({ state: clock([1_200, 30_000], 0) })} />);
    tick(1_500);
    expect(time(0)).toBe('0:00');
    expect(el(0).hasAttribute('data-flagged')).toBe(true);
    expect(screen.getByRole('timer').getAttribute('aria-label')).toBe("Alice's clock: time is up");
    tick(5_000);
    expect(time(0)).toBe('0:00');
  });

  it('stands still once the game is over', () => {
    render(<Clock {...props({ state: clock([20_000, 30_000], 0), live: false })} />);
    tick(5_000);
    expect(time(0)).toBe('0:20');
    expect(el(0).hasAttribute('data-running')).toBe(false);
  });
});

describe('formatClock', () => {
  it.each([
    [0, '0:00'],
    [999, '0:00.9'],
    [10_000, '0:10'],
    [59_001, '1:00'],
    [185_000, '3:05'],
    [3_723_000, '1:02:03'],
    [-50, '0:00'],
  ])('%i ms reads %s', (ms, text) => expect(formatClock(ms)).toBe(text));
});
