import { gameTopic, LOBBY_TOPIC, type GameEventDataOf, type GameEventKind, type GameSnapshot } from '@monkeytown/shared';
import type { Queryable } from '../db/index.js';
import type { CommittedEvent } from '../outbox/publisher.js';
import { agentToMove } from './moves/plan.js';
import { DEFAULT_CLOCK_RULES, rollClock, type ClockRules } from './clock/clock.js';
import { SNAPSHOT_COLUMNS, SNAPSHOT_JOINS, toSnapshot, toSummary, type GameRow } from './snapshot.js';

type OutboxIds = { id: number; at: Date };

/** Inserts an outbox row (the committing process publishes it after commit; the relay if that fails). */
export async function insertOutbox(q: Queryable, topic: string, seq: number, kind: string, data: unknown): Promise<OutboxIds> {
  const { rows } = await q.query<OutboxIds>('INSERT INTO outbox (topic, seq, kind, data) VALUES ($1, $2, $3, $4) RETURNING id, at',
    [topic, seq, kind, JSON.stringify(data)]);
  return rows[0]!;
}

/** The bus event of an outbox row (lobby events carry their outbox id as seq: see outbox/relay.ts). */
export function committedEvent(id: number, topic: string, seq: number, kind: string, data: unknown, at: Date): CommittedEvent {
  return { outboxId: Number(id), event: { topic: topic as CommittedEvent['event']['topic'], seq: topic === LOBBY_TOPIC ? Number(id) : seq, kind, data, at: at.toISOString() } };
}

/**
 * One game mutation inside one transaction, on a row already locked FOR UPDATE.
 * Every emitted event takes the next sequence number and is written twice: to
 * `events` (replays, GET /events) and to `outbox` (live delivery). `commit()` writes
 * the row back, and — when something lobby-visible changed — a lobby.game outbox row
 * built by the same snapshot builder as GET /api/games/:id. A state change also brings
 * the clocks and the game's next deadline up to date (games/clock/clock.ts rollClock:
 * a join starts them, an ending stops them) as of `now`, the transaction's time.
 */
export class GameTx {
  seq: number;
  stateSeq: number;
  stateChanged = false;
  lobbyChanged = false;
  /** What this transaction wrote to the outbox, in order: published once it committed. */
  readonly events: CommittedEvent[] = [];
  /** The row as committed (set by commit()). */
  committed: GameRow | null = null;

  constructor(
    readonly q: Queryable,
    readonly row: GameRow,
    readonly clocks: ClockRules = DEFAULT_CLOCK_RULES,
    readonly now: Date = new Date(),
  ) {
    this.seq = row.seq;
    this.stateSeq = row.state_seq;
  }

  /** `data` is typed by the kind's schema in the shared GameEventData map. */
  async emit<K extends GameEventKind>(kind: K, data: GameEventDataOf<K>, opts: { state?: boolean } = {}): Promise<number> {
    this.seq += 1;
    if (opts.state) {
      this.stateSeq = this.seq;
      this.stateChanged = true;
      this.lobbyChanged = true;
    }
    // One statement (one round trip) writes the event and its outbox row; the data is
    // serialised once for both.
    const topic = gameTopic(this.row.id);
    const { rows } = await this.q.query<OutboxIds>(
      `WITH e AS (INSERT INTO events (game_id, seq, kind, data) VALUES ($1, $2, $3, $4))
       INSERT INTO outbox (topic, seq, kind, data) VALUES ($5, $2, $3, $4) RETURNING id, at`,
      [this.row.id, this.seq, kind, JSON.stringify(data), topic],
    );
    this.events.push(committedEvent(rows[0]!.id, topic, this.seq, kind, data, rows[0]!.at));
    return this.seq;
  }

  /**
   * The clocks as the row's state now leaves them (null: untimed), for event data such
   * as game.over's; commit() writes the same.
   */
  clockState(): GameRow['clock_state'] {
    rollClock(this.row, this.now, this.clocks);
    return this.row.clock_state;
  }

  /** Writes seq (and, after a state change, the game fields) and returns the fresh snapshot. */
  async commit(): Promise<GameSnapshot> {
    const r = this.row;
    if (this.stateChanged) rollClock(r, this.now, this.clocks);
    // The UPDATE returns the written row joined exactly as loadGameRow joins it (players
    // and ratings as this transaction left them): one round trip instead of two.
    const returning = (update: string, params: unknown[]) =>
      this.q.query<GameRow>(`WITH g AS (${update} RETURNING *) SELECT ${SNAPSHOT_COLUMNS} FROM g ${SNAPSHOT_JOINS}`, params);
    const { rows } = this.stateChanged
      ? await returning(
          `UPDATE games SET seq = $2, state_seq = $3, state = $4, turn = $5, move_count = $6, result = $7,
             status = $8, player0_id = $9, player1_id = $10, updated_at = now(),
             ai_due_at = CASE WHEN $11::boolean THEN now() ELSE NULL END, ai_claimed_until = NULL,
             clock_state = $12, flag_at = $13
           WHERE id = $1`,
          [r.id, this.seq, this.stateSeq, JSON.stringify(r.state), r.turn, r.move_count,
            r.result ? JSON.stringify(r.result) : null, r.status, r.player0_id, r.player1_id, this.agentToMove(),
            r.clock_state ? JSON.stringify(r.clock_state) : null, r.flag_at],
        )
      : await returning('UPDATE games SET seq = $2 WHERE id = $1', [r.id, this.seq]);
    this.committed = rows[0]!;
    const snap = toSnapshot(rows[0]!);
    if (this.lobbyChanged) {
      // Lobby events carry seq 0 here; the outbox id is their seq on the bus (see outbox/relay.ts).
      const data = { game: toSummary(snap) };
      const o = await insertOutbox(this.q, LOBBY_TOPIC, 0, 'lobby.game', data);
      this.events.push(committedEvent(o.id, LOBBY_TOPIC, 0, 'lobby.game', data, o.at));
    }
    return snap;
  }

  /** True when the game is active and the seat to move belongs to an agent. */
  agentToMove(): boolean {
    return agentToMove(this.row);
  }
}
