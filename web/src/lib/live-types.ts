// What the pages need from the live event stream. Implemented over the shared typed
// client (@monkeytown/shared/client) in live-feed.ts; components depend only on this.
import type { ConnectionState } from '../components/ConnectionIndicator';

export interface LiveEvent {
  topic: string;
  seq: number;
  kind: string;
  data: unknown;
}

export interface TopicHandlers {
  /** The last seq this page holds, asked on every (re)subscribe so the stream resumes after it. */
  sinceSeq?: () => number | undefined;
  onEvent: (ev: LiveEvent) => void;
  /** The stream cannot replay what was missed: reload from REST; resolve with the seq reached. */
  onResync?: () => void | number | Promise<void | number>;
  onPresence?: (spectators: number) => void;
}

export interface LiveFeed {
  readonly state: ConnectionState;
  readonly attempt: number;
  onStateChange(cb: (state: ConnectionState, attempt: number) => void): () => void;
  subscribe(topic: string, handlers: TopicHandlers): () => void;
  close(): void;
}
