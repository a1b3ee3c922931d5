// What the pages need from the live event stream. Implemented over the shared typed
// client (@monkeytown/shared/client) in live-feed.ts; components depend only on this.
import type { PresencePlayer, StreamEvent, TopicEvent } from '@monkeytown/shared/client';
import type { ConnectionState } from '../components/ConnectionIndicator';

/** Events arrive checked and typed by topic: `game:<id>` → game events, `lobby` → lobby ones. */
export interface TopicHandlers<E = StreamEvent> {
  /** The last seq this page holds, asked on every (re)subscribe so the stream resumes after it. */
  sinceSeq?: () => number | undefined;
  onEvent: (ev: E) => void;
  /** The stream cannot replay what was missed: reload from REST; resolve with the seq reached. */
  onResync?: () => void | number | Promise<void | number>;
  /** Spectators; on game topics also whether each player has the game open (`players`). */
  onPresence?: (spectators: number, players?: PresencePlayer[]) => void;
}

export interface LiveFeed {
  readonly state: ConnectionState;
  readonly attempt: number;
  onStateChange(cb: (state: ConnectionState, attempt: number) => void): () => void;
  subscribe<T extends string>(topic: T, handlers: TopicHandlers<TopicEvent<T>>): () => void;
  close(): void;
}
