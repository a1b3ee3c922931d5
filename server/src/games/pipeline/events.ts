import { LOBBY_TOPIC, type GameEventBody, type LobbyEventData } from '@monkeytown/shared';
import type { CommittedEvent } from '../../outbox/publisher.js';

/**
 * The bus event of an outbox row (a lobby event carries its outbox id, which the bus swaps for the lobby's next seq: bus/types.ts).
 * `data` is typed at the producer: a game event's body (the zod schemas' GameEventBody) or a lobby row's summary.
 */
export function committedEvent(
  id: number, topic: string, seq: number, kind: string, data: GameEventBody['data'] | LobbyEventData, at: Date,
): CommittedEvent {
  return { outboxId: Number(id), event: { topic: topic as CommittedEvent['event']['topic'], seq: topic === LOBBY_TOPIC ? Number(id) : seq, kind, data, at: at.toISOString() } };
}
