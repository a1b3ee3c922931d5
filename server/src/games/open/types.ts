import type { GameSnapshot } from '@monkeytown/shared';
import type { CommittedEvent } from '../../outbox/publisher.js';
import type { GameRow } from '../snapshot.js';

/** A committed creation or join: the row (for the cache), the snapshot to answer with, the events to publish. */
export interface Written {
  row: GameRow;
  game: GameSnapshot;
  events: CommittedEvent[];
}
