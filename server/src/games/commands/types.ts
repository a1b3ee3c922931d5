import type {
  ActionBody, ClaimBody, GameCommand, GameEventBody, GameResult, GameSnapshot, Move, OfferBody,
} from '@monkeytown/shared';
import type { Queryable } from '../../db/index.js';
import type { PlayerStanding } from '../../bus/types.js';
import type { ClockRules } from '../clock/clock.js';
import type { CreateRequest } from '../open/create.js';
import type { GameRow } from '../snapshot.js';

/**
 * Where exactly these players stand on the game (bus.standing): looked up by id, so the
 * answer does not depend on how many others watch.
 */
export type StandingLookup = (playerIds: readonly string[]) => Promise<readonly PlayerStanding[]>;

/** Everything that writes to an existing game, by what it asks. */
export type Command =
  | { kind: 'move'; move: Move; expectedSeq: number; reason: string | null }
  | { kind: 'resign' }
  | { kind: 'chat'; text: string }
  | { kind: 'abort'; body: ActionBody }
  | { kind: 'offers'; body: OfferBody }
  | { kind: 'claim'; body: ClaimBody; lookup: StandingLookup }
  /** The system's: the game's deadline (games.flag_at) passed by `at`. */
  | { kind: 'deadline'; at: Date }
  /** The AI runner's: it claimed the turn of `seat` at state seq `stateSeq` and is thinking. */
  | { kind: 'agent.thinking'; seat: 0 | 1; agentId: string; stateSeq: number };

export type CommandKind = Command['kind'];
export type CommandOf<K extends CommandKind> = Extract<Command, { kind: K }>;

/** Who sent a command and what the request carried beside it. */
export interface Envelope {
  gameId: string;
  /** The acting player (null: the system — a deadline). */
  playerId: string | null;
  /**
   * A person's request: the version their token carries. Checked by the write itself
   * where the command is batched (no read), by one read otherwise.
   */
  tokenVersion?: number | undefined;
  idempotencyKey?: string | undefined;
}

/** One event a command produces, typed by its kind's schema, with the seq the plan gave it. */
export type PlannedEvent = GameEventBody & { seq: number };

/** What a command does to its game, computed in memory from the row it was checked against. */
export interface CommandPlan<R = unknown> {
  /** The row as it was (its seq is the one the write checks). */
  before: GameRow;
  /** The row after the command. */
  after: GameRow;
  /** A state change (state seq, clocks, deadline, AI due, lobby row); false: only events (chat, offers made). */
  state: boolean;
  /** In order, seqs from before.seq + 1; `game.over` of a rated ending is added by the write's rating step. */
  events: PlannedEvent[];
  /** The command ended the game with this result. */
  result: GameResult | null;
  /** The game ended rated (ratings.ts `ratable`): ratings are read and written in the write's transaction. */
  needsRating: boolean;
  /** The response, from the game as committed (ratings in) and the rematch the command started, if any. */
  respond(game: GameSnapshot, rematch: GameSnapshot | null): R;
  /** Human or agent (a move's metrics). */
  by: 'human' | 'agent';
  /** A move to insert into `moves`. */
  move?: { seat: 0 | 1; move: Move; seq: number; reason: string | null };
  /** A takeback: the moves after this many are deleted. */
  keepMoves?: number;
  /** A rematch: this game is created in the same transaction. */
  rematch?: CreateRequest;
}

/** What a plan gets beside the row and the command. */
export interface PlanContext<I> {
  now: Date;
  clocks: ClockRules;
  /** The actor's seat (null for a spectator's chat, the system's commands). */
  seat: 0 | 1 | null;
  playerId: string | null;
  /** What the command's `inputs` read for this row. */
  inputs: I;
}

/**
 * One command's rules. The pipeline checks the seat, the lifecycle, expectedSeq, the token
 * version and the Idempotency-Key for every command alike (pipeline/checks.ts); the
 * command's `plan` decides the rest, without I/O.
 */
export interface CommandDef<C extends Command, I = undefined, R = unknown> {
  /** Its row in the shared lifecycle table (null: the command checks the game's state itself). */
  lifecycle(c: C): GameCommand | null;
  /** Who may send it: a seated player, anyone signed in (chat), or the system. */
  actor: 'player' | 'anyone' | 'system';
  /** The expectedSeq it was sent with (checked against [state seq, seq]). */
  expectedSeq?(c: C): number;
  /** Idempotency-Key support: the route it is stored under and the body fingerprinted. */
  idempotent?: { route: 'move' | 'abort' | 'offers' | 'claim'; body(c: C): unknown };
  /** Written in the group-commit batch (no inputs, no extra statements); otherwise its own transaction. */
  batched: boolean;
  /** What the plan needs beyond the row, read in the command's transaction (the rare commands only). */
  inputs?(q: Queryable, row: GameRow, c: C, ctx: { seat: 0 | 1 | null; playerId: string | null; now: Date }): Promise<I>;
  plan(row: GameRow, c: C, ctx: PlanContext<I>): CommandPlan<R>;
}
