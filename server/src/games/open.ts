import { gameTopic, type CreateGameBody } from '@monkeytown/shared';
import type { Db, Queryable } from '../db/index.js';
import { ApiError } from '@monkeytown/shared';
import type { CommittedEvent, DirectPublisher } from '../outbox/publisher.js';
import type { ClockRules } from './clock/clock.js';
import { writeCreations, type CreateRequest } from './open/create.js';
import { GroupCommit } from './open/group.js';
import { writeJoins, type JoinRequest } from './open/join.js';
import type { Written } from './open/types.js';
import { SNAPSHOT_COLUMNS, SNAPSHOT_FROM, type GameRow } from './snapshot.js';

export type { Written };

export interface OpenGamesOptions {
  db: Db;
  clocks: ClockRules;
  /** Publishes a batch's events after its statement returned (none: the relay does it). */
  publisher: DirectPublisher | null;
  maxBatch?: number;
}

/**
 * Creating and joining games with group commit (open/group.ts): the creations that
 * arrive together are ONE statement (open/create.ts), the joins too (open/join.ts),
 * each its own transaction on the shared pool, no read before it (the players are
 * joined inside). A request is answered after its statement returned; the batch's
 * events are then published in outbox order, and outbox rows published earlier are
 * marked inside the statement at no extra round trip.
 */
export class OpenGames {
  private readonly creations: GroupCommit<CreateRequest, Written>;
  private readonly joins: GroupCommit<JoinRequest, Written | null>;

  constructor(private readonly o: OpenGamesOptions) {
    const maxBatch = o.maxBatch ?? 256;
    this.creations = new GroupCommit({ maxBatch, write: (reqs) => this.batch(reqs, writeCreations) });
    // One join per game in a batch: the second sees the first's write (and is told the seat is taken).
    this.joins = new GroupCommit({ maxBatch, keyOf: (r) => r.row.id, write: (reqs) => this.batch(reqs, writeJoins) });
  }

  create(req: CreateRequest): Promise<Written> {
    return this.creations.submit(req);
  }

  /**
   * Null when `row` is no longer the game's current version (re-read and try again).
   * `tokenVersion`: checked inside the statement (join.ts), undefined when the caller did.
   */
  join(row: GameRow, playerId: string, tokenVersion?: number): Promise<Written | null> {
    return this.joins.submit({ row, playerId, tokenVersion });
  }

  private async batch<R, O extends Written | ApiError | null>(
    reqs: R[], write: (q: Queryable, reqs: R[], now: Date, clocks: ClockRules, marks: readonly number[]) => Promise<O[]>,
  ): Promise<(Exclude<O, ApiError> | Error)[]> {
    const marks = this.o.publisher?.takeMarks() ?? { ids: [], settle: () => {} };
    let out: O[];
    try {
      out = await write(this.o.db, reqs, new Date(), this.o.clocks, marks.ids);
      marks.settle(true);
    } catch (err) {
      marks.settle(false);
      throw err;
    }
    const events: CommittedEvent[] = out.flatMap((w) => (w && !(w instanceof ApiError) ? w.events : []));
    this.o.publisher?.publish(events.sort((a, b) => a.outboxId - b.outboxId));
    return out as (Exclude<O, ApiError> | Error)[];
  }
}

/**
 * One creation written at once, on `q`: the rematch creates its game inside the old
 * game's transaction, under its row lock (actions/rematch.ts).
 */
export async function createGame(q: Queryable, id: string, playerId: string, body: CreateGameBody, clocks: ClockRules, opponentId?: string): Promise<Written> {
  const [out] = await writeCreations(q, [{ id, playerId, body, opponentId }], new Date(), clocks);
  if (out instanceof ApiError) throw out;
  return out!;
}

export async function readGame(q: Queryable, id: string): Promise<GameRow | null> {
  const { rows } = await q.query<GameRow>(`SELECT ${SNAPSHOT_COLUMNS} FROM ${SNAPSHOT_FROM} WHERE g.id = $1`, [id]);
  return rows[0] ?? null;
}

export { gameTopic };
