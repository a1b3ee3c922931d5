// useGame's REST traffic around an own move (issue 10), with the REST client, the session
// and the live topic replaced by stand-ins: the move costs the POST and nothing else; the
// page reads REST only when the stream leaves the history behind for 5 s.
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TopicHandlers } from '../src/lib/live-types';
import { createdEvents, HUMAN, moveEvents, snapshot, snapshotAfter } from './fixtures';

const mocks = vi.hoisted(() => ({
  api: { move: vi.fn(), events: vi.fn(), game: vi.fn() },
  live: { handlers: null as TopicHandlers<never> | null },
  playerId: '00000000-0000-4000-8000-000000000001',
}));
vi.mock('../src/lib/api', () => ({ api: mocks.api, ApiError: Error, newIdempotencyKey: () => crypto.randomUUID() }));
vi.mock('../src/lib/session', () => ({ useSession: () => ({ session: { playerId: mocks.playerId, name: 'Alice', token: 't' } }) }));
vi.mock('../src/lib/live-provider', () => ({
  useLiveTopic: (_topic: string, handlers: TopicHandlers<never>) => {
    mocks.live.handlers = handlers;
  },
  useConnectionState: () => ({ state: 'open', attempt: 0 }),
}));
const { useGame } = await import('../src/components/game/useGame');

const flush = (ms = 0) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));
const stream = (events: unknown[]) => act(() => events.forEach((e) => mocks.live.handlers!.onEvent(e as never)));
const restCalls = () => ({ moves: mocks.api.move.mock.calls.length, events: mocks.api.events.mock.calls.length, game: mocks.api.game.mock.calls.length });

/** A page loaded on an agent game at seq 2 (its history read from REST), then the counters reset. */
async function loadedPage() {
  mocks.api.events.mockResolvedValue({ events: createdEvents() });
  mocks.api.game.mockResolvedValue({ game: snapshot() });
  const page = renderHook(() => useGame(snapshot()));
  await flush();
  expect(page.result.current.model.historySeq).toBe(2);
  vi.clearAllMocks();
  return page;
}

describe('useGame: REST calls around an own move', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    expect(HUMAN.playerId).toBe(mocks.playerId);
  });
  afterEach(() => vi.useRealTimers());

  it('one POST; the stream copy and the agent reply need no REST, even after the grace period', async () => {
    const page = await loadedPage();
    mocks.api.move.mockResolvedValue({ game: snapshotAfter([{ cell: 4 }], 3), seq: 3 });
    await act(() => page.result.current.play({ cell: 4 }));
    expect(page.result.current.model.moves.map((m) => m.label)).toEqual(['b2']);
    const [ours, theirs] = moveEvents('tictactoe', [{ cell: 4 }, { cell: 0 }], 3);
    await stream([ours, theirs]);
    await flush(10_000);
    expect(restCalls()).toEqual({ moves: 1, events: 0, game: 0 });
    expect(page.result.current.model.moves.map((m) => m.label)).toEqual(['b2', 'a1']);
    expect(mocks.api.move).toHaveBeenCalledWith(snapshot().id, { cell: 4 }, 2, 't', expect.any(String), expect.any(AbortSignal));
  });

  it('reads REST after 5 s when the stream never brings what the answer is ahead by', async () => {
    const page = await loadedPage();
    // The answer is at seq 4 (say, a game.over), the move at 3; the stream stays silent.
    mocks.api.move.mockResolvedValue({ game: snapshotAfter([{ cell: 4 }], 4), seq: 3 });
    await act(() => page.result.current.play({ cell: 4 }));
    await flush(4_000);
    expect(restCalls()).toEqual({ moves: 1, events: 0, game: 0 });
    mocks.api.events.mockResolvedValue({ events: [{ seq: 4, kind: 'agent.thinking', data: { seat: 1, agentId: 'mentororangutan' } }] });
    mocks.api.game.mockResolvedValue({ game: snapshotAfter([{ cell: 4 }], 4) });
    await flush(1_500);
    expect(mocks.api.events).toHaveBeenCalledWith(snapshot().id, 3);
    expect(page.result.current.model.historySeq).toBe(4);
    const after = restCalls();
    await flush(10_000);
    expect(restCalls()).toEqual(after); // caught up: no more reads
  });
});
