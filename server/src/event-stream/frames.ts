import type { Topic } from '@monkeytown/shared';

/**
 * The messages every arriving socket is sent, and `unsubscribed` (each game a player
 * leaves), written out by hand instead of checked against `ServerMessage` and serialised
 * per socket (a crowd of 19,000 arriving at once paid a zod parse and a JSON.stringify
 * for each). Their parts are already checked: the topic by `ClientMessage` on the way in,
 * the player id is a verified token's `sub`, the ids and numbers are ours;
 * `server/test/event-stream/greeting-frames.test.ts` checks that each result parses as
 * the contract's message and matches what `JSON.stringify` gives.
 */
export const helloFrame = (connectionId: string, heartbeatMs: number, playerId: string | null): string =>
  `{"type":"hello","connectionId":${JSON.stringify(connectionId)},"heartbeatMs":${heartbeatMs},"playerId":${JSON.stringify(playerId)}}`;

export const subscribedFrame = (topic: Topic): string => `{"type":"subscribed","topic":${JSON.stringify(topic)}}`;

export const unsubscribedFrame = (topic: Topic): string => `{"type":"unsubscribed","topic":${JSON.stringify(topic)}}`;
