// A tight liveness check for the page's event stream. The stream's own heartbeat (a ping
// every heartbeatMs / 2, a reconnect after 2 × heartbeatMs + 5 s of silence) is sized for
// proxies and for the server's load, and takes most of a minute to notice a dead link;
// a player in a one-minute game must see "Reconnecting…" within 2 s. So while the page
// is visible it pings often and calls the link stale when an answer is late; the
// stream's pong (or any message) proves it alive again. A hidden tab does not ping (its
// timers are throttled anyway) and is never called stale for that.
import type { WebSocketConstructor } from '@monkeytown/shared/client';

/** A ping this often while the page is visible (the server answers each with a pong). */
export const PING_EVERY_MS = 600;
/** A ping unanswered this long: the link is stale ("Reconnecting…"). */
export const STALE_AFTER_MS = 1200;
/** Unanswered this long: the socket is dead; close it so the client reconnects. */
export const DEAD_AFTER_MS = 6000;
const TICK_MS = 200;

export interface Liveness {
  /** The WebSocket class to hand the stream client: its sockets are watched. */
  readonly Socket: WebSocketConstructor;
  stop(): void;
}

export function createLiveness(onStale: (stale: boolean) => void): Liveness {
  let stale = false;
  let current: WebSocket | null = null;
  let lastHeard = 0;
  let lastPing = 0;
  const set = (s: boolean) => {
    if (s === stale) return;
    stale = s;
    onStale(s);
  };

  const tick = () => {
    const ws = current;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const now = Date.now();
    if (lastPing > lastHeard) {
      // A ping waits for its answer.
      const waited = now - lastPing;
      if (waited >= DEAD_AFTER_MS) ws.close(4000, 'silent');
      else set(waited >= STALE_AFTER_MS);
      return;
    }
    set(false);
    if (document.visibilityState === 'visible' && now - lastPing >= PING_EVERY_MS) {
      ws.send('{"type":"ping"}');
      lastPing = now;
    }
  };
  const timer = setInterval(tick, TICK_MS);
  /** The client's newest socket is the one watched; an older one closing changes nothing. */
  const watch = (ws: WebSocket) => {
    current = ws;
    lastHeard = lastPing = 0;
    ws.addEventListener('message', () => {
      if (current === ws) lastHeard = Date.now();
    });
    ws.addEventListener('close', () => {
      if (current === ws) current = null;
    });
  };

  class WatchedSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      watch(this);
    }
  }

  return {
    Socket: WatchedSocket,
    stop() {
      clearInterval(timer);
      current = null;
    },
  };
}
