import type { Db } from '../../db/index.js';
import type { DirectPublisher } from '../../outbox/publisher.js';
import type { ClockRules } from '../clock/clock.js';
import type { Command, CommandDef, CommandPlan, Envelope } from '../commands/types.js';
import type { GameCache } from './cache.js';
import type { LobbyThrottle } from './lobby-throttle.js';
import type { StoredRequest } from '../idempotency.js';
import type { GameRow } from '../snapshot.js';
import type { CreateRequest } from '../open/create.js';

/** A command's answer; `replayed` when it came from a stored Idempotency-Key. */
export interface Outcome<R = unknown> {
  response: R;
  replayed: boolean;
}

/** What both ways of writing (the batch and the own transaction) share. */
export interface PipelineParts {
  db: Db;
  cache: GameCache;
  publisher: DirectPublisher;
  clocks: ClockRules;
  lobby: LobbyThrottle;
  /** After COMMIT, for every command alike: the cache learns the row, the deadline is armed, the AI runner woken. */
  landed(plan: CommandPlan): void;
  /** After COMMIT: a game whose seats were set (created, joined, a rematch). */
  seated(row: GameRow): void;
}

/** Creating and joining a game: written by their own statements (games/open/*), which join the players in. */
export type OpenWork = { kind: 'create'; req: CreateRequest } | { kind: 'join' };

/** A command waiting in (or going through) the batch queue. */
export interface Pending {
  env: Envelope;
  cmd: Command;
  def: CommandDef<Command, unknown, unknown>;
  /** A creation or a join (`cmd`/`def` unused) instead of a command on an existing game. */
  open?: OpenWork;
  stored: StoredRequest | null;
  attempts: number;
  /** Plan from a fresh read, not the cache (set after a failed seq check). */
  fresh: boolean;
  /** Write alone (after a batch failed on a key taken meanwhile). */
  solo: boolean;
  /** MOVE_PHASE_TIMING only (pipeline/phases.ts): when it was queued, when its batch was taken. */
  queuedAt?: number;
  takenAt?: number;
  resolve(r: Outcome): void;
  reject(e: unknown): void;
}
