'use client';
// One live connection per tab, shared by every component that follows a topic.
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ConnectionState } from '../components/ConnectionIndicator';
import { createLiveFeed } from './live-feed';
import type { TopicEvent } from '@monkeytown/shared/client';
import type { LiveFeed, TopicHandlers } from './live-types';
import { resolveStreamUrl, useRuntimeConfig } from './runtime-config';
import { useSession } from './session';

const FeedCtx = createContext<LiveFeed | null>(null);

export function LiveFeedProvider({ children }: { children: ReactNode }) {
  const { eventStreamUrl } = useRuntimeConfig();
  const { ready, session } = useSession();
  const token = session?.token ?? null;
  const [feed, setFeed] = useState<LiveFeed | null>(null);
  useEffect(() => {
    if (!ready) return;
    const f = createLiveFeed(resolveStreamUrl(eventStreamUrl, window.location), token);
    setFeed(f);
    return () => f.close();
  }, [eventStreamUrl, ready, token]);
  return <FeedCtx.Provider value={feed}>{children}</FeedCtx.Provider>;
}

/** Follow a topic for as long as the component is mounted; handlers may change freely. */
export function useLiveTopic<T extends string>(topic: T | null, handlers: TopicHandlers<TopicEvent<T>>): void {
  const feed = useContext(FeedCtx);
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    if (!feed || !topic) return;
    return feed.subscribe(topic, {
      sinceSeq: () => ref.current.sinceSeq?.(),
      onEvent: (ev) => ref.current.onEvent(ev),
      onResync: () => ref.current.onResync?.(),
      onPresence: (n, players) => ref.current.onPresence?.(n, players),
    });
  }, [feed, topic]);
}

export function useConnectionState(): { state: ConnectionState; attempt: number } {
  const feed = useContext(FeedCtx);
  const [s, setS] = useState<{ state: ConnectionState; attempt: number }>({ state: 'connecting', attempt: 0 });
  useEffect(() => {
    if (!feed) return;
    setS({ state: feed.state, attempt: feed.attempt });
    return feed.onStateChange((state, attempt) => setS({ state, attempt }));
  }, [feed]);
  return s;
}
