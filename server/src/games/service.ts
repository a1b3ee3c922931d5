import { randomUUID } from 'node:crypto';
import {
  engineFor,
  type ActionBody,
  type ChatResponse,
  type ClaimBody,
  type CreateGameBody,
  type GameResponse,
  type GameResult,
  type GameSnapshot,
  type Move,
  type MoveResponse,
  type OfferBody,
  type OfferResponse,
} from '@monkeytown/shared';
import type { Db } from '../db/index.js';
import { ApiError, notFound } from '@monkeytown/shared';
import { DirectPublisher } from '../outbox/publisher.js';
import { loadGameRow, toSnapshot, type GameRow } from './snapshot.js';
import { GameCache } from './pipeline/cache.js';
import { agentToMove } from './commands/move.js';
import type { Command, Envelope, StandingLookup } from './commands/types.js';
import { DEFAULT_CLOCK_RULES, type ClockRules } from './clock/clock.js';
import type { Seats } from '../bus/types.js';
import { CommandPipeline } from './pipeline/index.js';
import type { Outcome } from './pipeline/types.js';
import type { PhaseClock } from './pipeline/phases.js';

export interface CommitInfo {
  gameId: string;
  /** An agent owes the next move. */
  agentDue: boolean;
}

export interface MoveOptions {
  idempotencyKey?: string | undefined;
  /** A person's move: the version their token carries, checked by the write (sign-out). */
  tokenVersion?: number;
  /** The agent's human-readable reason. */
  reason?: string | null;
}

export type MoveOutcome = Outcome<MoveResponse>;

/** A live-game command's answer; `replayed` when it came from a stored Idempotency-Key. */
export type ActionOutcome<T> = Outcome<T>;

export interface GameServiceOptions {
  /** Wakes the AI runner (and the relay, when events are not published directly). */
  afterCommit?: (info: CommitInfo) => void;
  /** A game's seats were set (created, joined, a rematch): presence lists them first (bus.setSeats). */
  onSeats?: (gameId: string, seats: Seats) => void;
  onMove?: (type: string, by: 'human' | 'agent') => void;
  /** Publishes committed events straight after COMMIT (none: the outbox relay does all of it). */
  publisher?: DirectPublisher;
  /** Command batches written at once (their games never overlap). */
  batchConcurrency?: number;
  /** At most one lobby row per game per this many ms for plain moves (pipeline/lobby-throttle.ts). */
  lobbyEveryMs?: number;
  /** Connections of the command batches' own (none: the shared pool). */
  moveDb?: Db;
  onBatch?: (moves: number) => void;
  /** Lag allowance and expiry times (games/clock/clock.ts). */
  clocks?: ClockRules;
  /** A commit set a game's next deadline: the flag scheduler arms its timer. */
  onDeadline?: (at: Date) => void;
  /** A deadline ended a game (metrics). */
  onDeadlineSettled?: (result: GameResult) => void;
  /** MOVE_PHASE_TIMING: where a batched command's time goes (games/pipeline/phases.ts). */
  phases?: PhaseClock;
}

/**
 * What the routes, the AI runner and the flag scheduler ask of games. Every write goes
 * through the one pipeline (games/pipeline): a command on an existing game
 * (games/commands) is checked once, planned purely from the row, written and published
 * after COMMIT; creations and joins ride the same group commit with statements of their
 * own, which join the players in (games/open/*).
 */
export class GameService {
  readonly cache = new GameCache();
  private readonly pipeline: CommandPipeline;
  private readonly afterCommit: (info: CommitInfo) => void;
  private readonly onSeats: (gameId: string, seats: Seats) => void;
  readonly publisher: DirectPublisher | null;
  readonly clocks: ClockRules;
  private readonly onDeadline: (at: Date) => void;
  private readonly onDeadlineSettled: (result: GameResult) => void;

  constructor(private readonly db: Db, o: GameServiceOptions = {}) {
    this.clocks = o.clocks ?? DEFAULT_CLOCK_RULES;
    this.onDeadline = o.onDeadline ?? (() => {});
    this.onDeadlineSettled = o.onDeadlineSettled ?? (() => {});
    this.afterCommit = o.afterCommit ?? (() => {});
    this.onSeats = o.onSeats ?? (() => {});
    const onMove = o.onMove ?? (() => {});
    this.publisher = o.publisher ?? null;
    this.pipeline = new CommandPipeline({
      db,
      cache: this.cache,
      // None: the events stay in the outbox for the relay.
      publisher: this.publisher ?? new DirectPublisher({ bus: { publish: async () => {} } as never, db }),
      clocks: this.clocks,
      landed: (plan) => {
        this.cache.put(plan.after);
        if (plan.after.flag_at) this.onDeadline(plan.after.flag_at);
        if (plan.move) onMove(plan.after.type, plan.by);
        this.afterCommit({ gameId: plan.after.id, agentDue: plan.state && agentToMove(plan.after) });
      },
      seated: (row) => this.seated(row),
      ...(o.moveDb ? { batchDb: o.moveDb } : {}),
      ...(o.batchConcurrency ? { concurrency: o.batchConcurrency } : {}),
      ...(o.lobbyEveryMs !== undefined ? { lobbyEveryMs: o.lobbyEveryMs } : {}),
      ...(o.onBatch ? { onBatch: o.onBatch } : {}),
      ...(o.phases ? { phases: o.phases } : {}),
      timeUp: (gameId, now) => this.settleDeadline(gameId, now),
    });
  }

  private run<R>(env: Envelope, cmd: Command): Promise<Outcome<R>> {
    return this.pipeline.run(env, cmd) as Promise<Outcome<R>>;
  }

  async get(gameId: string): Promise<GameSnapshot> {
    const row = await loadGameRow(this.db, gameId);
    if (!row) throw notFound('game');
    return toSnapshot(row);
  }

  /** `tokenVersion`: the creator's token version, checked by the write itself (none: the caller checked it). */
  async create(playerId: string, body: CreateGameBody, tokenVersion?: number): Promise<GameSnapshot> {
    if (!engineFor(body.type)) {
      throw new ApiError('not_supported', `game type "${body.type}" is not supported yet`, { type: body.type });
    }
    return (await this.pipeline.create({ id: randomUUID(), playerId, body, tokenVersion })).game;
  }

  /**
   * Take the open seat: checked and planned from the cached row, group-committed with a
   * seq check (pipeline/open-lane.ts), re-planned from a fresh read when stale.
   * `tokenVersion` as for create.
   */
  async join(playerId: string, gameId: string, tokenVersion?: number): Promise<GameSnapshot> {
    return (await this.pipeline.join(gameId, playerId, tokenVersion)).game;
  }

  /** After a creation, a join or a rematch committed. */
  private seated(row: GameRow): void {
    this.onSeats(row.id, [row.player0_id, row.player1_id]);
    this.cache.put(row);
    if (row.flag_at) this.onDeadline(row.flag_at);
    this.afterCommit({ gameId: row.id, agentDue: agentToMove(row) });
  }

  /** Shutdown, after the last request: writes what the pipeline still holds (lobby rows). */
  close(): Promise<void> {
    return this.pipeline.close();
  }

  async move(playerId: string, gameId: string, move: Move, expectedSeq: number, opts: MoveOptions = {}): Promise<MoveOutcome> {
    return this.run({ gameId, playerId, idempotencyKey: opts.idempotencyKey, tokenVersion: opts.tokenVersion },
      { kind: 'move', move, expectedSeq, reason: opts.reason ?? null });
  }

  async resign(playerId: string, gameId: string, tokenVersion?: number): Promise<GameSnapshot> {
    return (await this.run<GameSnapshot>({ gameId, playerId, tokenVersion }, { kind: 'resign' })).response;
  }

  async chat(playerId: string, gameId: string, text: string, tokenVersion?: number): Promise<ChatResponse> {
    return (await this.run<ChatResponse>({ gameId, playerId, tokenVersion }, { kind: 'chat', text })).response;
  }

  /**
   * Ends the game whose deadline (games.flag_at) passed by `now`, if nothing ended or
   * moved it meanwhile (commands/deadline.ts; the row taken SKIP LOCKED: pipeline/solo.ts).
   * True when this call ended the game.
   */
  async settleDeadline(gameId: string, now: Date): Promise<boolean> {
    try {
      const { response } = await this.run<GameResult>({ gameId, playerId: null }, { kind: 'deadline', at: now });
      this.onDeadlineSettled(response);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not_found') return false; // moved on, settled, or being settled elsewhere
      throw err;
    }
  }

  /** Abort a game with fewer than two moves (commands/abort.ts): unrated. */
  abort(playerId: string, gameId: string, body: ActionBody, idempotencyKey?: string, tokenVersion?: number): Promise<ActionOutcome<GameResponse>> {
    return this.run({ gameId, playerId, idempotencyKey, tokenVersion }, { kind: 'abort', body });
  }

  /** Draw, takeback and rematch offers (commands/offers.ts). */
  offer(playerId: string, gameId: string, body: OfferBody, idempotencyKey?: string, tokenVersion?: number): Promise<ActionOutcome<OfferResponse>> {
    return this.run({ gameId, playerId, idempotencyKey, tokenVersion }, { kind: 'offers', body });
  }

  /** Claim a game the opponent left; `lookup` asks the bus where exactly a player stands on the game. */
  claim(playerId: string, gameId: string, body: ClaimBody, lookup: StandingLookup, idempotencyKey?: string, tokenVersion?: number): Promise<ActionOutcome<GameResponse>> {
    return this.run({ gameId, playerId, idempotencyKey, tokenVersion }, { kind: 'claim', body, lookup });
  }

  /** Emits agent.thinking (not a state change: it does not make expectedSeq stale). */
  async agentThinking(gameId: string, seat: 0 | 1, agentId: string, stateSeq: number): Promise<number> {
    return (await this.run<number>({ gameId, playerId: null }, { kind: 'agent.thinking', seat, agentId, stateSeq })).response;
  }
}

export type { GameRow };
