// Typed event-stream client (connect, subscribe with sinceSeq resume, reconnect, resync).
export {
  connect,
  EventStreamClient,
  type ClientOptions,
  type ConnectionState,
  type PresencePlayer,
  type ResyncResult,
  type StreamError,
  type SubscribeOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from './client.js';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export { checkEvent, type GameStreamEvent, type LobbyStreamEvent, type RawEvent, type StreamEvent, type TopicEvent } from './events.js';
