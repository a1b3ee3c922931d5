import { engineFor, type GameResult, type Move, type MoveResponse } from '@monkeytown/shared';
import { ApiError } from '@monkeytown/shared';
import { ratable } from '../ratings.js';
import type { GameRow } from '../snapshot.js';
import { afterMove, deadline, firstMoveLate } from '../clock/clock.js';
import type { CommandDef, CommandOf, CommandPlan, PlannedEvent } from './types.js';

/** The mover's clock had run out before its move arrived: the move is refused and the game flagged. */
export class TimeUpError extends ApiError {
  constructor(readonly gameId: string, message = 'your time is up: the game is lost on time') {
    super('game_over', message);
  }
}

/**
 * POST /moves against one game row, once the pipeline checked the seat, the lifecycle and
 * expectedSeq: whose turn it is, whether the move is legal, and what it changes. The
 * write that follows checks the row's seq, so a plan made from a stale cached row can
 * never be applied (it is re-planned from a fresh row instead).
 */
export const move: CommandDef<CommandOf<'move'>, undefined, MoveResponse> = {
  lifecycle: () => 'move',
  actor: 'player',
  expectedSeq: (c) => c.expectedSeq,
  idempotent: { route: 'move', body: (c) => ({ move: c.move, expectedSeq: c.expectedSeq }) },
  batched: true,
  plan(row, c, { seat, playerId, now, clocks }): CommandPlan<MoveResponse> {
    if (row.turn !== seat) throw new ApiError('not_your_turn', 'it is not your turn');
    const by = (seat === 0 ? row.p0_kind : row.p1_kind) ?? 'human';
    const engine = engineFor(row.type)!;
    const parsed = engine.moveSchema.safeParse(c.move);
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
      // A first move after its deadline: the game is aborted (settled like a flag).
      if (firstMoveLate(row.clock_state, now.getTime(), clocks.lagMs)) throw new TimeUpError(row.id, 'the first move came too late: the game is aborted');
      const cl = afterMove(row.clock_state, row.clock, seat!, now.getTime(), clocks, after.status !== 'active', after.move_count);
      if (cl.timeUp) throw new TimeUpError(row.id);
      after.clock_state = cl.clock;
    }
    after.flag_at = deadline(after, now.getTime(), clocks);
    after.updated_at = now;
    after.updated_key = String(now.getTime() * 1000);
    const clockState = after.clock_state ? { clockState: after.clock_state } : {};
    const moveSeq = row.seq + 1;
    const events: PlannedEvent[] = [{
      seq: moveSeq,
      kind: 'move',
      data: {
        seat: seat!, playerId: playerId!, move: parsed.data as Move, reason: c.reason, moveNumber: after.move_count,
        state: engine.publicView(after.state), turn: after.status === 'active' ? after.turn : null, status: after.status,
        ...clockState,
      },
    }];
    const needsRating = Boolean(result && ratable(after, result));
    if (result && !needsRating) events.push({ seq: moveSeq + 1, kind: 'game.over', data: { result, ...clockState } });
    after.seq = row.seq + events.length;
    after.state_seq = after.seq;
    return {
      before: row, after, state: true, events, result, needsRating, by,
      move: { seat: seat!, move: parsed.data as Move, seq: moveSeq, reason: c.reason },
      respond: (game) => ({ game, seq: moveSeq }),
    };
  },
};

/** True when the game is active and the seat to move belongs to an agent. */
export function agentToMove(r: Pick<GameRow, 'status' | 'turn' | 'p0_kind' | 'p1_kind'>): boolean {
  if (r.status !== 'active' || r.turn === null) return false;
  return (r.turn === 0 ? r.p0_kind : r.p1_kind) === 'agent';
}
