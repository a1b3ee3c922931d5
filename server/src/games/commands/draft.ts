import type { GameEventDataOf, GameEventKind, GameResult, GameSnapshot } from '@monkeytown/shared';
import { rollClock, type ClockRules } from '../clock/clock.js';
import { ratable } from '../ratings.js';
import type { GameRow } from '../snapshot.js';
import type { CommandPlan, PlannedEvent } from './types.js';

/**
 * A plan being made: a copy of the row the command changes and the events it emits, each
 * taking the game's next seq. Pure: nothing here reads or writes anything but memory.
 */
export class Draft {
  readonly after: GameRow;
  readonly events: PlannedEvent[] = [];
  state = false;
  result: GameResult | null = null;
  needsRating = false;
  rematch: CommandPlan['rematch'];
  keepMoves: number | undefined;

  constructor(readonly before: GameRow, readonly now: Date, readonly clocks: ClockRules) {
    this.after = { ...before };
  }

  /** Emits `kind` with its schema's data at the next seq; `state` marks a state change (expectedSeq moves on). */
  emit<K extends GameEventKind>(kind: K, data: GameEventDataOf<K>, opts: { state?: boolean } = {}): number {
    const seq = this.after.seq + 1;
    this.after.seq = seq;
    if (opts.state) this.changed();
    this.events.push({ seq, kind, data } as PlannedEvent);
    return seq;
  }

  /** The state changed (its seq is the last event's; a rated game.over added later moves it again). */
  changed(): void {
    this.state = true;
    this.after.state_seq = this.after.seq;
  }

  /** The clocks as the row's state now leaves them (null: untimed), as the write stores them. */
  clockState(): GameRow['clock_state'] {
    rollClock(this.after, this.now, this.clocks);
    return this.after.clock_state;
  }

  /** Ends the game: the clocks stop, and game.over is emitted here or, when rated, with the ratings by the write. */
  finish(result: GameResult): void {
    this.after.status = 'finished';
    this.after.result = result;
    this.changed();
    const clockState = this.clockState();
    this.result = result;
    this.needsRating = ratable(this.after, result);
    if (!this.needsRating) this.emit('game.over', { result, ...(clockState ? { clockState } : {}) }, { state: true });
  }

  done<R>(respond: CommandPlan<R>['respond'], by: 'human' | 'agent' = 'human'): CommandPlan<R> {
    const a = this.after;
    if (this.state) {
      rollClock(a, this.now, this.clocks);
      a.updated_at = this.now;
      a.updated_key = String(this.now.getTime() * 1000);
    }
    return {
      before: this.before, after: a, state: this.state, events: this.events, result: this.result, needsRating: this.needsRating,
      respond, by,
      ...(this.rematch ? { rematch: this.rematch } : {}),
      ...(this.keepMoves !== undefined ? { keepMoves: this.keepMoves } : {}),
    };
  }
}

/** The game as the response shows it. */
export const gameOnly = (game: GameSnapshot) => ({ game });

export const other = (seat: 0 | 1): 0 | 1 => (seat === 0 ? 1 : 0);

/** The kind of the player in a seat. */
export const kindOf = (row: GameRow, seat: 0 | 1): 'human' | 'agent' => (seat === 0 ? row.p0_kind : row.p1_kind) ?? 'human';
