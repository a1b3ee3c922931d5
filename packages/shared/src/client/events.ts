// What the client hands to subscribers: events whose payload has been checked against its
// kind's schema (packages/shared/src/schemas/events.ts), typed by the topic subscribed to.
import { GameStreamEvent, LobbyStreamEvent, type BusEvent } from '../schemas/events.js';

export type { GameStreamEvent, LobbyStreamEvent };
export type StreamEvent = GameStreamEvent | LobbyStreamEvent;

/** The event type a topic delivers: `lobby` → lobby events, `game:<id>` → game events. */
export type TopicEvent<T extends string> = T extends 'lobby'
  ? LobbyStreamEvent
  : T extends `game:${string}`
    ? GameStreamEvent
    : StreamEvent;

/** An event as it arrives (socket, or an onResync answer): payload not yet checked. */
export type RawEvent = Omit<BusEvent, 'topic'> & { topic?: string };

/** Checks one event for a topic; the message says what did not match. */
export function checkEvent(isGame: boolean, e: BusEvent): { ok: true; event: StreamEvent } | { ok: false; message: string } {
  const parsed = (isGame ? GameStreamEvent : LobbyStreamEvent).safeParse(e);
  if (parsed.success) return { ok: true, event: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `event ${e.seq} (${e.kind}) does not match its schema: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'invalid'}` };
}
