// LiveFeed over the shared typed event-stream client (@monkeytown/shared/client), which
// does the protocol work: sinceSeq resume, reconnect with backoff + jitter, duplicate
// drop, silence detection and held-back delivery during a resync. This adapter fans one
// client subscription per topic out to every component following that topic.
import { connect, type ConnectionState } from '@monkeytown/shared/client';
import type { LiveFeed, TopicHandlers } from './live-types';

export function createLiveFeed(url: string, token: string | null): LiveFeed {
  const listeners = new Set<(s: ConnectionState, attempt: number) => void>();
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  const client = connect(url, {
    token: token ?? undefined,
    onState: (s, a) => {
      state = s;
      attempt = s === 'open' ? 0 : a;
      for (const l of listeners) l(state, attempt);
    },
  });
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
      client.close();
    },
  };
}
