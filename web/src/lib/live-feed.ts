// LiveFeed over the shared typed event-stream client (@monkeytown/shared/client), which
// does the protocol work: sinceSeq resume, reconnect with backoff + jitter, duplicate
// drop, silence detection and held-back delivery during a resync. This adapter fans one
// client subscription per topic out to every component following that topic, and decides
// what the page calls the connection: never "Live" while the browser says it is offline
// or a ping goes unanswered (liveness.ts); back online, it reconnects at once.
import { connect, type ConnectionState } from '@monkeytown/shared/client';
import { createLiveness } from './liveness';
import type { LiveFeed, TopicHandlers } from './live-types';

export function createLiveFeed(url: string, token: string | null): LiveFeed {
  const listeners = new Set<(s: ConnectionState, attempt: number) => void>();
  let raw: ConnectionState = 'connecting';
  let offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  let stale = false;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  const publish = () => {
    const next: ConnectionState = raw === 'open' && (offline || stale) ? 'reconnecting' : raw;
    if (next === state) return;
    state = next;
    for (const l of listeners) l(state, attempt);
  };
  const liveness = createLiveness((s) => {
    stale = s;
    publish();
  });
  const client = connect(url, {
    token: token ?? undefined,
    WebSocket: liveness.Socket,
    onState: (s, a) => {
      raw = s;
      attempt = s === 'open' ? 0 : a;
      publish();
    },
  });
  const onOffline = () => {
    offline = true;
    publish();
  };
  const onOnline = () => {
    offline = false;
    // The socket from before the outage may be dead without knowing it, and a backoff
    // grown meanwhile would keep the player waiting: a fresh connection, now.
    client.reconnectNow();
    publish();
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
  const topics = new Map<string, { handlers: Set<TopicHandlers>; unsubscribe: () => void }>();

  return {
    get state() {
      return state;
    },
    get attempt() {
      return attempt;
    },
    onStateChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    subscribe(topic, typed) {
      // The client checks each event against this topic's schemas, so every follower of
      // the topic gets exactly the event type it was typed for.
      const handlers = typed as unknown as TopicHandlers;
      let entry = topics.get(topic);
      if (!entry) {
        const set = new Set<TopicHandlers>([handlers]);
        const each = (fn: (h: TopicHandlers) => void) => {
          for (const h of [...set]) fn(h);
        };
        const unsubscribe = client.subscribe(topic, (ev) => each((h) => h.onEvent(ev)), {
          sinceSeq: handlers.sinceSeq?.(),
          onPresence: (n, players) => each((h) => h.onPresence?.(n, players)),
          // Live events wait in the client while the followers reload from REST; afterwards
          // the stream continues after the seq they reached.
          onResync: async () => {
            let reached: number | undefined;
            for (const h of [...set]) {
              const r = await h.onResync?.();
              if (typeof r === 'number') reached = reached === undefined ? r : Math.min(reached, r);
            }
            return reached === undefined ? undefined : { seq: reached };
          },
        });
        entry = { handlers: set, unsubscribe };
        topics.set(topic, entry);
      } else {
        entry.handlers.add(handlers);
      }
      const e = entry;
      return () => {
        e.handlers.delete(handlers);
        if (e.handlers.size === 0) {
          e.unsubscribe();
          topics.delete(topic);
        }
      };
    },
    close() {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      liveness.stop();
      client.close();
    },
  };
}
