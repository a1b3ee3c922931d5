import { engineFor, type GameResult, type GameEventKind, type Move } from '@monkeytown/shared';
import { ApiError } from '@monkeytown/shared';
import { ratable } from '../ratings.js';
import { seatOf, type GameRow } from '../snapshot.js';
import { afterMove, deadline, type ClockRules } from '../clock/clock.js';

/** The mover's clock had run out before its move arrived: the move is refused and the game flagged. */
export class TimeUpError extends ApiError {
  constructor(readonly gameId: string) {
    super('game_over', 'your time is up: the game is lost on time');
  }
}

/** One event a move produces, in order (seq assigned by the plan). */
export interface PlannedEvent {
  seq: number;
  kind: GameEventKind;
  data: unknown;
}

/** What a legal move does to its game, computed in memory from the row it was checked against. */
export interface MovePlan {
  /** The row as it was (its seq is the one the write checks). */
  before: GameRow;
  /** The row after the move (seq, state, turn, status, result, move count). */
  after: GameRow;
  seat: 0 | 1;
  by: 'human' | 'agent';
  move: Move;
  moveSeq: number;
  /** `move`, then `game.over` when the move ended the game (added by moves/rate.ts when it needs ratings). */
  events: PlannedEvent[];
  result: GameResult | null;
  /** The game ended rated (ratings.ts `ratable`): ratings are read and written in the batch's transaction. */
  needsRating: boolean;
}

/**
 * The rules of POST /moves against one game row, without I/O: who may move, whether
 * expectedSeq is current, whether the move is legal, and what it changes. The write
 * that follows checks the row's seq, so a plan made from a stale cached row can never
 * be applied (it is re-planned from a fresh row instead).
 */
export function planMove(
  row: GameRow, playerId: string, move: Move, expectedSeq: number, reason: string | null, now: Date, rules: ClockRules,
): MovePlan {
  const seat = seatOf(row, playerId);
  if (seat === null) throw new ApiError('forbidden', 'you are not a player in this game');
  if (row.status === 'finished') throw new ApiError('game_over', 'the game is over');
  if (row.status !== 'active') throw new ApiError('conflict', 'the game has not started: waiting for an opponent');
  if (expectedSeq < row.state_seq || expectedSeq > row.seq) {
    throw new ApiError('stale_seq', `expectedSeq ${expectedSeq} is stale: the game is at seq ${row.seq}`, {
      seq: row.seq,
      expectedSeq,
    });
  }
  if (row.turn !== seat) throw new ApiError('not_your_turn', 'it is not your turn');
  const by = (seat === 0 ? row.p0_kind : row.p1_kind) ?? 'human';
  const engine = engineFor(row.type)!;
  const parsed = engine.moveSchema.safeParse(move);
  if (!parsed.success) throw new ApiError('illegal_move', `not a ${row.type} move`, { reason: `not a ${row.type} move` });
  const why = engine.illegalReason(row.state, parsed.data);
  if (why) throw new ApiError('illegal_move', why, { reason: why });

  const after: GameRow = { ...row };
  after.state = engine.apply(row.state, parsed.data);
  after.move_count = row.move_count + 1;
  after.turn = engine.turn(after.state);
  const outcome = engine.outcome(after.state);
  let result: GameResult | null = null;
  if (outcome) {
    result = { winner: outcome.winner, reason: outcome.winner === null ? 'draw' : 'win', detail: outcome.detail, ...(outcome.line ? { line: outcome.line } : {}) };
    after.status = 'finished';
    after.result = result;
  }
  // The clocks: the mover is charged its time since the last commit (this batch's time
  // is the commit's), gets its increment, and the opponent's clock runs from now.
  if (row.clock && row.clock_state) {
    const c = afterMove(row.clock_state, row.clock, seat, now.getTime(), rules.lagMs, after.status !== 'active');
    if (c.timeUp) throw new TimeUpError(row.id);
    after.clock_state = c.clock;
  }
  after.flag_at = deadline(after, now.getTime(), rules);
  const clockState = after.clock_state ? { clockState: after.clock_state } : {};
  const moveSeq = row.seq + 1;
  const events: PlannedEvent[] = [{
    seq: moveSeq,
    kind: 'move',
    data: {
      seat, playerId, move: parsed.data, reason, moveNumber: after.move_count,
      state: engine.publicView(after.state), turn: after.status === 'active' ? after.turn : null, status: after.status,
      ...clockState,
    },
  }];
  const needsRating = Boolean(result && ratable(after, result));
  if (result && !needsRating) events.push({ seq: moveSeq + 1, kind: 'game.over', data: { result, ...clockState } });
  after.seq = row.seq + events.length;
  after.state_seq = after.seq;
  return { before: row, after, seat, by, move: parsed.data as Move, moveSeq, events, result, needsRating };
}

/** True when the game is active and the seat to move belongs to an agent. */
export function agentToMove(r: Pick<GameRow, 'status' | 'turn' | 'p0_kind' | 'p1_kind'>): boolean {
  if (r.status !== 'active' || r.turn === null) return false;
  return (r.turn === 0 ? r.p0_kind : r.p1_kind) === 'agent';
}
