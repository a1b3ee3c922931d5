// The page's tight liveness check (lib/liveness.ts) over a stand-in socket with fake
// timers: pings while visible, "stale" when an answer is 1.2 s late (so the pill says
// Reconnecting… within 2 s of a silent drop), fresh again on any message, closed after 6 s.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

class FakeSocket extends EventTarget {
  static readonly OPEN = 1;
  readyState = 1;
  sent: string[] = [];
  closed: number | null = null;
  constructor(readonly url: string | URL) {
    super();
  }
  send(data: string) {
    this.sent.push(data);
  }
  close(code = 1000) {
    this.readyState = 3;
    this.closed = code;
    this.dispatchEvent(new Event('close'));
  }
  answer() {
    this.dispatchEvent(new MessageEvent('message', { data: '{"type":"pong"}' }));
  }
}

describe('liveness', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('pings, calls a silent link stale within 2 s, fresh on the next message, and closes a dead one', async () => {
    const { createLiveness } = await import('../src/lib/liveness');
    const changes: boolean[] = [];
    const live = createLiveness((s) => changes.push(s));
    const ws = new live.Socket('ws://example/ws') as unknown as FakeSocket;

    // An answered link: pings go out, nothing changes.
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(600);
      ws.answer();
    }
    expect(ws.sent.length).toBeGreaterThanOrEqual(4);
    expect(ws.sent.every((m) => m === '{"type":"ping"}')).toBe(true);
    expect(changes).toEqual([]);

    // The link goes silent: stale within 2 s.
    await vi.advanceTimersByTimeAsync(2_000);
    expect(changes).toEqual([true]);
    ws.answer();
    await vi.advanceTimersByTimeAsync(200);
    expect(changes).toEqual([true, false]);

    // Silent for good: the socket is closed so the client reconnects.
    await vi.advanceTimersByTimeAsync(7_000);
    expect(ws.closed).toBe(4000);
    live.stop();
  });

  it('a hidden page does not ping and is never called stale for it', async () => {
    const { createLiveness } = await import('../src/lib/liveness');
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    const changes: boolean[] = [];
    const live = createLiveness((s) => changes.push(s));
    const ws = new live.Socket('ws://example/ws') as unknown as FakeSocket;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ws.sent).toEqual([]);
    expect(changes).toEqual([]);
    expect(ws.closed).toBeNull();
    live.stop();
  });
});
