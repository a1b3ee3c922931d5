// A move whose request never got an answer (offline, lost in flight) is kept, drawn as
// pending, and sent again with the same Idempotency-Key and body when the link is back;
// one that can no longer apply is dropped with a notice and the board shows the truth.
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TopicHandlers } from '../src/lib/live-types';
import { KEPT_MESSAGE, MOVE_TIMEOUT_MS, SLOW_MESSAGE } from '../src/components/game/useGameMoves';
import { createdEvents, moveEvents, snapshot, snapshotAfter } from './fixtures';

const mocks = vi.hoisted(() => ({
  api: { move: vi.fn(), events: vi.fn(), game: vi.fn() },
  conn: { state: 'open' as 'open' | 'reconnecting' },
  playerId: '00000000-0000-4000-8000-000000000001',
}));
vi.mock('../src/lib/api', () => ({ api: mocks.api, ApiError: Error, newIdempotencyKey: () => crypto.randomUUID() }));
vi.mock('../src/lib/session', () => ({ useSession: () => ({ session: { playerId: mocks.playerId, name: 'Alice', token: 't' } }) }));
vi.mock('../src/lib/live-provider', () => ({
  useLiveTopic: (_topic: string, _handlers: TopicHandlers<never>) => {},
  useConnectionState: () => ({ state: mocks.conn.state, attempt: 0 }),
}));
const { useGame } = await import('../src/components/game/useGame');

const flush = (ms = 0) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));
const failure = (code: string, message = code) => Object.assign(new Error(message), { code });

/** A move request that never answers: only the page's own time-out (its abort signal) ends it. */
const hang = (...args: unknown[]) =>
  new Promise((_, reject) => (args[5] as AbortSignal).addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));

async function loadedPage() {
  mocks.api.events.mockResolvedValue({ events: createdEvents() });
  mocks.api.game.mockResolvedValue({ game: snapshot() });
  const page = renderHook(() => useGame(snapshot()));
  await flush();
  vi.clearAllMocks();
  return page;
}

describe('useGame: a move the link lost', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    mocks.conn.state = 'open';
  });
  afterEach(() => vi.useRealTimers());

  it('is kept as pending and resent with the same key and body until it lands, once', async () => {
    const page = await loadedPage();
    mocks.api.move.mockRejectedValue(failure('network'));
    await act(() => page.result.current.play({ cell: 4 }));
    expect(page.result.current.model.pending?.move).toEqual({ cell: 4 });
    expect(page.result.current.model.notice).toBe(KEPT_MESSAGE);
    expect(page.result.current.waiting).toBe(true);
    await flush(2_600); // still offline: tried again, still kept
    expect(mocks.api.move).toHaveBeenCalledTimes(2);
    expect(page.result.current.model.pending).not.toBeNull();

    mocks.api.move.mockResolvedValue({ game: snapshotAfter([{ cell: 4 }], 3), seq: 3 });
    await flush(2_600);
    expect(mocks.api.move).toHaveBeenCalledTimes(3);
    const [first, ...rest] = mocks.api.move.mock.calls;
    for (const call of rest) expect(call.slice(0, 5)).toEqual(first!.slice(0, 5)); // same game, move, seq, token and key
    expect(page.result.current.model.pending).toBeNull();
    expect(page.result.current.model.notice).toBeNull();
    expect(page.result.current.model.moves.map((m) => m.label)).toEqual(['b2']);
    await flush(10_000);
    expect(mocks.api.move).toHaveBeenCalledTimes(3); // landed: never sent again
  });

  it('is resent at once when the stream reopens', async () => {
    const page = await loadedPage();
    mocks.conn.state = 'reconnecting';
    page.rerender();
    mocks.api.move.mockRejectedValueOnce(failure('network'));
    await act(() => page.result.current.play({ cell: 4 }));
    mocks.api.move.mockResolvedValue({ game: snapshotAfter([{ cell: 4 }], 3), seq: 3 });
    mocks.conn.state = 'open';
    page.rerender();
    await flush();
    expect(mocks.api.move).toHaveBeenCalledTimes(2);
    expect(page.result.current.model.pending).toBeNull();
  });

  it('that can no longer apply is dropped with a clear notice, the board back to the true position', async () => {
    const page = await loadedPage();
    mocks.api.move.mockRejectedValueOnce(failure('network'));
    await act(() => page.result.current.play({ cell: 4 }));
    mocks.api.move.mockRejectedValue(failure('game_over', 'the game has finished'));
    await flush(2_600);
    expect(page.result.current.model.pending).toBeNull();
    expect(page.result.current.waiting).toBe(false);
    expect(page.result.current.model.notice).toBe('Your move b2 was not played: the game is over (the game has finished).');
    await flush(10_000);
    expect(mocks.api.move).toHaveBeenCalledTimes(2);
  });

  it('that hangs with no answer is given up after a few seconds and resent at once with the same key', async () => {
    const page = await loadedPage();
    // The first request never answers: only the page's own timeout ends it.
    mocks.api.move.mockImplementationOnce(hang);
    mocks.api.move.mockResolvedValue({ game: snapshotAfter([{ cell: 4 }], 3), seq: 3 });
    await act(async () => void page.result.current.play({ cell: 4 })); // its request hangs
    await flush(MOVE_TIMEOUT_MS - 100);
    expect(mocks.api.move).toHaveBeenCalledTimes(1);
    expect(page.result.current.model.pending?.move).toEqual({ cell: 4 });
    await flush(200);
    expect(mocks.api.move).toHaveBeenCalledTimes(2);
    const [first, second] = mocks.api.move.mock.calls;
    expect(second!.slice(0, 5)).toEqual(first!.slice(0, 5)); // same game, move, seq, token and key
    expect(page.result.current.model.pending).toBeNull();
    expect(page.result.current.model.notice).toBeNull();
    expect(page.result.current.model.moves.map((m) => m.label)).toEqual(['b2']);
    await flush(10_000);
    expect(mocks.api.move).toHaveBeenCalledTimes(2);
  });

  it('says it is sending again while a hung request is retried', async () => {
    const page = await loadedPage();
    mocks.api.move.mockImplementation(hang);
    await act(async () => void page.result.current.play({ cell: 4 })); // its request hangs
    await flush(MOVE_TIMEOUT_MS + 100);
    expect(page.result.current.model.notice).toBe(SLOW_MESSAGE);
    expect(page.result.current.waiting).toBe(true);
    expect(page.result.current.model.pending?.move).toEqual({ cell: 4 });
  });

  it('stops saying it is sending again once the stream shows the move played, while the resend is still out', async () => {
    const page = await loadedPage();
    mocks.api.move.mockImplementation(hang);
    await act(async () => void page.result.current.play({ cell: 4 })); // the server plays it; the answer hangs
    await flush(MOVE_TIMEOUT_MS + 100);
    expect(page.result.current.model.notice).toBe(SLOW_MESSAGE);
    act(() => page.result.current.dispatch({ type: 'events', events: moveEvents('tictactoe', [{ cell: 4 }], 3), live: true }));
    await flush();
    expect(page.result.current.model.pending).toBeNull();
    expect(page.result.current.model.notice).toBeNull();
    expect(page.result.current.model.moves.map((m) => m.label)).toEqual(['b2']);
  });

  it('is not sent again when the stream showed it played before its request was given up', async () => {
    const page = await loadedPage();
    mocks.api.move.mockImplementation(hang);
    await act(async () => void page.result.current.play({ cell: 4 })); // the server plays it; the answer hangs
    act(() => page.result.current.dispatch({ type: 'events', events: moveEvents('tictactoe', [{ cell: 4 }], 3), live: true }));
    await flush(MOVE_TIMEOUT_MS + 3_000);
    expect(mocks.api.move).toHaveBeenCalledTimes(1);
    expect(page.result.current.model.notice).toBeNull();
    expect(page.result.current.waiting).toBe(false);
    expect(page.result.current.model.moves.map((m) => m.label)).toEqual(['b2']);
  });

  it('refused as stale while the position is unchanged (a join, a chat) is sent once more at the new seq', async () => {
    const page = await loadedPage();
    mocks.api.move.mockRejectedValueOnce(failure('stale_seq'));
    mocks.api.game.mockResolvedValue({ game: snapshot({ seq: 3 }) });
    mocks.api.move.mockResolvedValue({ game: snapshotAfter([{ cell: 4 }], 4), seq: 4 });
    await act(() => page.result.current.play({ cell: 4 }));
    await flush();
    expect(mocks.api.move).toHaveBeenCalledTimes(2);
    expect(mocks.api.move.mock.calls[1]![2]).toBe(3);
    expect(page.result.current.model.pending).toBeNull();
    expect(page.result.current.model.notice).toBeNull();
    expect(page.result.current.model.game.moveCount).toBe(1);
  });
});
