import { randomUUID } from 'node:crypto';
import {
  engineFor,
  enginesLoaded,
  loadEngines,
  type ActionBody,
  type ClaimBody,
  type CreateGameBody,
  type GameResponse,
  type OfferBody,
  type OfferResponse,
  type GameSnapshot,
  type GameResult,
  type Move,
} from '@monkeytown/shared';
import type { Db, Queryable } from '../db/index.js';
import { ApiError, notFound } from '@monkeytown/shared';
import { DirectPublisher } from '../outbox/publisher.js';
import { agentReplies } from './agent-chat.js';
import { GameTx } from './game-tx.js';
import { rateResult } from './ratings.js';
import { loadGameRow, seatOf, toSnapshot, type GameRow } from './snapshot.js';
import { GameCache } from './moves/cache.js';
import { MoveBatcher, type MoveRequest, type MoveResult } from './moves/batcher.js';
import { agentToMove } from './moves/plan.js';
import { OpenGames, readGame } from './open.js';
import { DEFAULT_CLOCK_RULES, type ClockRules } from './clock/clock.js';
import { deadlineResult } from './clock/deadline.js';
import { SNAPSHOT_COLUMNS, SNAPSHOT_FROM } from './snapshot.js';
import { abortGame } from './actions/abort.js';
import type { Seats } from '../bus/types.js';
import { claimGame, type StandingLookup } from './actions/claim.js';
import { runAction, type ActionCtx, type ActionRequest } from './actions/context.js';
import { offerAction } from './actions/offers.js';
import { assertTokenCurrent } from '../auth/signed-out.js';

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

export type MoveOutcome = Pick<MoveResult, 'response' | 'replayed'>;

/** A live-game command's answer; `replayed` when it came from a stored Idempotency-Key. */
export interface ActionOutcome<T> {
  response: T;
  replayed: boolean;
}

export interface GameServiceOptions {
  /** Wakes the AI runner (and the relay, when events are not published directly). */
  afterCommit?: (info: CommitInfo) => void;
  /** A game's seats were set (created, joined, a rematch): presence lists them first (bus.setSeats). */
  onSeats?: (gameId: string, seats: Seats) => void;
  onMove?: (type: string, by: 'human' | 'agent') => void;
  /** Publishes committed events straight after COMMIT (none: the outbox relay does all of it). */
  publisher?: DirectPublisher;
  /** Move batches written at once (their games never overlap). */
  batchConcurrency?: number;
  /** At most one lobby row per game per this many ms for plain moves (moves/lobby-throttle.ts). */
  lobbyEveryMs?: number;
  /** Connections of the move batches' own (none: the shared pool). */
  moveDb?: Db;
  onBatch?: (moves: number) => void;
  /** Lag allowance and expiry times (games/clock/clock.ts). */
  clocks?: ClockRules;
  /** A commit set a game's next deadline: the flag scheduler arms its timer. */
  onDeadline?: (at: Date) => void;
  /** A deadline ended a game (metrics). */
  onDeadlineSettled?: (result: GameResult) => void;
}

/**
 * Game mutations. Moves go through the batcher (moves/batcher.ts: planned in memory
 * from cached rows, written in group-commit batches with a seq check per game). The
 * rest, and moves that end a rated game, are ONE transaction on the game row locked
 * FOR UPDATE, so concurrent requests on one game (from any replica) run one after
 * another and see each other's writes. After COMMIT the events are published by the
 * committing process; `afterCommit` wakes the AI runner.
 */
export class GameService {
  readonly cache = new GameCache();
  private readonly batcher: MoveBatcher;
  private readonly open: OpenGames;
  private readonly afterCommit: (info: CommitInfo) => void;
  private readonly onSeats: (gameId: string, seats: Seats) => void;
  private readonly onMove: (type: string, by: 'human' | 'agent') => void;
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
    this.onMove = o.onMove ?? (() => {});
    this.publisher = o.publisher ?? null;
    this.open = new OpenGames({ db, clocks: this.clocks, publisher: this.publisher });
    this.batcher = new MoveBatcher({
      db: o.moveDb ?? db,
      cache: this.cache,
      publisher: this.publisher ?? new DirectPublisher({ bus: { publish: async () => {} } as never, db }),
      committed: (gameId, agentDue, r, type) => {
        if (!r.replayed) this.onMove(type, r.by);
        this.afterCommit({ gameId, agentDue });
      },
      ...(o.batchConcurrency ? { concurrency: o.batchConcurrency } : {}),
      ...(o.lobbyEveryMs !== undefined ? { lobbyEveryMs: o.lobbyEveryMs } : {}),
      ...(o.onBatch ? { onBatch: o.onBatch } : {}),
      clocks: this.clocks,
      onDeadline: this.onDeadline,
      timeUp: (gameId, now) => this.settleDeadline(gameId, now),
    });
  }

  private async mutate<T>(gameId: string, fn: (g: GameTx) => Promise<T>, load?: (tx: Queryable) => Promise<GameRow | null>): Promise<T> {
    let agentDue = false;
    let g!: GameTx;
    const out = await this.db.transaction(async (tx) => {
      const row = await (load ? load(tx) : loadGameRow(tx, gameId, true));
      if (!row) throw notFound('game');
      g = new GameTx(tx, row, this.clocks);
      const result = await fn(g);
      agentDue = g.stateChanged && g.agentToMove();
      return result;
    });
    this.committed(g);
    this.afterCommit({ gameId, agentDue });
    return out;
  }

  /** After COMMIT: the cache learns the row, the events go on the bus. */
  private committed(g: GameTx): void {
    if (g.committed) this.cache.put(g.committed);
    if (g.committed?.flag_at) this.onDeadline(g.committed.flag_at);
    this.publisher?.publish(g.events);
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
    const { row, game } = await this.open.create({ id: randomUUID(), playerId, body, tokenVersion });
    this.written(row);
    return game;
  }

  /**
   * Take the open seat: planned from the cached row, written in a join batch with a
   * seq check (games/open.ts), re-read when stale. `tokenVersion` as for create.
   */
  async join(playerId: string, gameId: string, tokenVersion?: number): Promise<GameSnapshot> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = (attempt === 0 && this.cache.get(gameId)) || (await readGame(this.db, gameId));
      if (!row) throw notFound('game');
      this.cache.put(row);
      const refusal = seatOf(row, playerId) !== null ? new ApiError('conflict', 'you already sit at this game')
        : row.status !== 'open' ? new ApiError('game_full', 'this game has no open seat') : null;
      if (refusal) {
        // Refused before any statement: a signed-out token still hears 401 first.
        if (tokenVersion !== undefined) await assertTokenCurrent(this.db, playerId, tokenVersion);
        throw refusal;
      }
      const out = await this.open.join(row, playerId, tokenVersion);
      if (out) {
        this.written(out.row);
        return out.game;
      }
      this.cache.drop(gameId);
    }
    throw new ApiError('conflict', 'the game is too busy right now; retry');
  }

  /** After a creation or join committed (its events are published by OpenGames). */
  private written(row: GameRow): void {
    this.onSeats(row.id, [row.player0_id, row.player1_id]);
    this.cache.put(row);
    if (row.flag_at) this.onDeadline(row.flag_at);
    this.afterCommit({ gameId: row.id, agentDue: agentToMove(row) });
  }

  /** Shutdown, after the last request: writes what the move path still holds (lobby rows). */
  close(): Promise<void> {
    return this.batcher.close();
  }

  /** A move, through the batcher (moves/batcher.ts). */
  async move(playerId: string, gameId: string, move: Move, expectedSeq: number, opts: MoveOptions = {}): Promise<MoveOutcome> {
    // Chess's rules load on the first move, not at start (games/chess/rules.ts).
    if (!enginesLoaded()) await loadEngines();
    const req: MoveRequest = {
      playerId, gameId, move, expectedSeq, reason: opts.reason ?? null, idempotencyKey: opts.idempotencyKey, tokenVersion: opts.tokenVersion,
    };
    const { response, replayed } = await this.batcher.submit(req);
    return { response, replayed };
  }

  async resign(playerId: string, gameId: string): Promise<GameSnapshot> {
    return this.mutate(gameId, async (g) => {
      const r = g.row;
      const seat = seatOf(r, playerId);
      if (seat === null) throw new ApiError('forbidden', 'you are not a player in this game');
      if (r.status === 'finished') throw new ApiError('game_over', 'the game is over');
      // Leaving an open game nobody joined cancels it (no winner, nothing rated).
      const result: GameResult =
        r.status === 'open' ? { winner: null, reason: 'abandoned' } : { winner: seat === 0 ? 1 : 0, reason: 'resign' };
      r.status = 'finished';
      r.result = result;
      await this.finishGame(g, result);
      return g.commit();
    });
  }

  async chat(playerId: string, gameId: string, text: string): Promise<{ seq: number }> {
    const { rows } = await this.db.query<{ name: string }>('SELECT name FROM players WHERE id = $1', [playerId]);
    return this.mutate(gameId, async (g) => {
      const seq = await g.emit('chat', { playerId, name: rows[0]?.name ?? '?', text });
      await agentReplies(g, playerId, text);
      await g.commit();
      return { seq };
    });
  }

  /** Records the result: ratings (when `ratable`: rated, both sides moved) and the game.over event. */
  private async finishGame(g: GameTx, result: GameResult): Promise<void> {
    const ratings = await rateResult(g.q, g.row, result);
    const clockState = g.clockState();
    await g.emit('game.over', { result, ...(ratings ? { ratings } : {}), ...(clockState ? { clockState } : {}) }, { state: true });
  }

  /**
   * Ends the game whose deadline (games.flag_at) passed by `now`, if nothing ended or
   * moved it meanwhile: a flag (`timeout`), an idle untimed game or an open seat nobody
   * took (`abandoned`), through the same finish path as a resignation. The row is taken
   * FOR UPDATE SKIP LOCKED: a replica settling it already (or a move being written) is
   * skipped, never waited for; if that replica dies, its transaction rolls back and the
   * deadline is still there for the next sweep. True when this call ended the game.
   */
  async settleDeadline(gameId: string, now: Date): Promise<boolean> {
    const load = async (tx: Queryable) => (await tx.query<GameRow>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM ${SNAPSHOT_FROM}
       WHERE g.id = $1 AND g.flag_at <= $2 AND g.status <> 'finished' FOR UPDATE OF g SKIP LOCKED`, [gameId, now])).rows[0] ?? null;
    try {
      const result = await this.mutate(gameId, async (g) => {
        const result = deadlineResult(g.row)!;
        g.row.status = 'finished';
        g.row.result = result;
        await this.finishGame(g, result);
        await g.commit();
        return result;
      }, load);
      this.onDeadlineSettled(result);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not_found') return false; // moved on, settled, or being settled elsewhere
      throw err;
    }
  }

  /** Abort a game with fewer than two moves (games/actions/abort.ts): unrated. */
  async abort(playerId: string, gameId: string, body: ActionBody, idempotencyKey?: string): Promise<ActionOutcome<GameResponse>> {
    return this.action({ route: 'abort', playerId, body, idempotencyKey }, gameId, abortGame);
  }

  /** Draw, takeback and rematch offers (games/actions/offers.ts). */
  async offer(playerId: string, gameId: string, body: OfferBody, idempotencyKey?: string): Promise<ActionOutcome<OfferResponse>> {
    let rematch: GameRow | undefined;
    if (!enginesLoaded()) await loadEngines(); // a takeback replays moves with the engine
    const out = await this.action({ route: 'offers', playerId, body, idempotencyKey }, gameId, async (ctx) => {
      const { rematchRow, ...response } = await offerAction(ctx, body);
      rematch = rematchRow;
      return response;
    });
    if (rematch) {
      // The new game was written in the old game's transaction: learn it like a creation.
      this.cache.put(rematch);
      this.onSeats(rematch.id, [rematch.player0_id, rematch.player1_id]);
      this.afterCommit({ gameId: rematch.id, agentDue: agentToMove(rematch) });
    }
    return out;
  }

  /** Claim a game the opponent left; `lookup` asks the bus where exactly a player stands on the game. */
  async claim(playerId: string, gameId: string, body: ClaimBody, lookup: StandingLookup, idempotencyKey?: string): Promise<ActionOutcome<GameResponse>> {
    return this.action({ route: 'claim', playerId, body, idempotencyKey }, gameId, (ctx) => claimGame(ctx, body, lookup));
  }

  private action<T>(req: ActionRequest, gameId: string, act: (ctx: ActionCtx) => Promise<T>): Promise<ActionOutcome<T>> {
    return this.mutate(gameId, (g) => runAction(g, req, (result) => this.finishGame(g, result), act));
  }

  /** Emits agent.thinking (not a state change: it does not make expectedSeq stale). */
  async agentThinking(gameId: string, seat: 0 | 1, agentId: string, stateSeq: number): Promise<number> {
    return this.mutate(gameId, async (g) => {
      // The turn the runner claimed must still be the current one.
      if (g.row.state_seq !== stateSeq || g.row.status !== 'active' || g.row.turn !== seat) {
        throw new ApiError('stale_seq', 'the agent turn moved on');
      }
      const seq = await g.emit('agent.thinking', { seat, agentId });
      await g.commit();
      return seq;
    });
  }
}

export type { GameRow };
