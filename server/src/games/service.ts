import { randomUUID } from 'node:crypto';
import {
  engineFor,
  type CreateGameBody,
  type GameSnapshot,
  type GameResult,
  type Move,
  type MoveResponse,
} from '@monkeytown/shared';
import type { Db, Queryable } from '../db/index.js';
import { ApiError, notFound } from '../http/errors.js';
import { agentReplies } from './agent-chat.js';
import { GameTx } from './game-tx.js';
import { ensureRating, rateGame } from './ratings.js';
import { loadGameRow, seatOf, toSnapshot, type GameRow } from './snapshot.js';

export interface CommitInfo {
  gameId: string;
  /** An agent owes the next move. */
  agentDue: boolean;
}

export interface MoveOptions {
  idempotencyKey?: string | undefined;
  /** The agent's human-readable reason. */
  reason?: string | null;
}

export interface MoveOutcome {
  response: MoveResponse;
  /** True when the response was replayed from a stored Idempotency-Key. */
  replayed: boolean;
}

/**
 * Game mutations. Each is ONE transaction on the game row locked FOR UPDATE, so
 * concurrent requests on one game (from any replica) run one after another and see
 * each other's writes; `afterCommit` wakes the outbox relay and the AI runner.
 */
export class GameService {
  constructor(
    private readonly db: Db,
    private readonly afterCommit: (info: CommitInfo) => void = () => {},
    private readonly onMove: (type: string, by: 'human' | 'agent') => void = () => {},
  ) {}

  private async mutate<T>(gameId: string, fn: (g: GameTx) => Promise<T>): Promise<T> {
    let agentDue = false;
    const out = await this.db.transaction(async (tx) => {
      const row = await loadGameRow(tx, gameId, true);
      if (!row) throw notFound('game');
      const g = new GameTx(tx, row);
      const result = await fn(g);
      agentDue = g.stateChanged && g.agentToMove();
      return result;
    });
    this.afterCommit({ gameId, agentDue });
    return out;
  }

  async get(gameId: string): Promise<GameSnapshot> {
    const row = await loadGameRow(this.db, gameId);
    if (!row) throw notFound('game');
    return toSnapshot(row);
  }

  async create(playerId: string, body: CreateGameBody): Promise<GameSnapshot> {
    const engine = engineFor(body.type);
    if (!engine) {
      throw new ApiError(422, 'validation_failed', `game type "${body.type}" is not supported yet`, { type: body.type });
    }
    const id = randomUUID();
    const seat = body.seat ?? (Math.random() < 0.5 ? 0 : 1);
    const state = engine.initialState();
    let opponentId: string | null = null;
    if (body.opponent.kind === 'agent') {
      const { rows } = await this.db.query<{ id: string }>('SELECT id FROM players WHERE agent_id = $1', [body.opponent.agentId]);
      if (!rows[0]) throw notFound('agent');
      opponentId = rows[0].id;
    }
    const status = opponentId ? 'active' : 'open';
    const p0 = seat === 0 ? playerId : opponentId;
    const p1 = seat === 1 ? playerId : opponentId;

    let agentDue = false;
    const snap = await this.db.transaction(async (tx) => {
      for (const p of [p0, p1]) if (p) await ensureRating(tx, p, body.type);
      await tx.query(
        `INSERT INTO games (id, type, status, rated, seq, state_seq, state, turn, player0_id, player1_id, created_by, clock)
         VALUES ($1, $2, $3, $4, 0, 0, $5, $6, $7, $8, $9, $10)`,
        [id, body.type, status, body.rated, JSON.stringify(state), engine.turn(state), p0, p1, playerId,
          body.clock ? JSON.stringify(body.clock) : null],
      );
      const row = (await loadGameRow(tx, id, true))!;
      const g = new GameTx(tx, row);
      const before = toSnapshot(row);
      await g.emit('game.created', { game: { ...before, seq: 1 } }, { state: true });
      agentDue = g.agentToMove();
      return g.commit();
    });
    this.afterCommit({ gameId: id, agentDue });
    return snap;
  }

  async join(playerId: string, gameId: string): Promise<GameSnapshot> {
    return this.mutate(gameId, async (g) => {
      const r = g.row;
      if (seatOf(r, playerId) !== null) throw new ApiError(409, 'conflict', 'you already sit at this game');
      if (r.status !== 'open') throw new ApiError(409, 'game_full', 'this game has no open seat');
      const seat: 0 | 1 = r.player0_id ? 1 : 0;
      const { rows } = await g.q.query<{ name: string }>('SELECT name FROM players WHERE id = $1', [playerId]);
      await ensureRating(g.q, playerId, r.type);
      if (seat === 0) {
        r.player0_id = playerId;
        r.p0_kind = 'human';
      } else {
        r.player1_id = playerId;
        r.p1_kind = 'human';
      }
      r.status = 'active';
      const { rows: rr } = await g.q.query<{ rating: number }>(
        'SELECT rating FROM ratings WHERE player_id = $1 AND game_type = $2', [playerId, r.type]);
      await g.emit('player.joined', {
        player: { seat, playerId, name: rows[0]?.name ?? '?', kind: 'human', rating: Math.round(rr[0]?.rating ?? 1500) },
      }, { state: true });
      return g.commit();
    });
  }

  async move(playerId: string, gameId: string, move: Move, expectedSeq: number, opts: MoveOptions = {}): Promise<MoveOutcome> {
    let replayed = false;
    let by: 'human' | 'agent' = 'human';
    const response = await this.mutate(gameId, async (g) => {
      const r = g.row;
      if (opts.idempotencyKey) {
        const stored = await storedResponse(g.q, playerId, opts.idempotencyKey, gameId, 'move');
        if (stored) {
          replayed = true;
          return stored as MoveResponse;
        }
      }
      const seat = seatOf(r, playerId);
      if (seat === null) throw new ApiError(403, 'forbidden', 'you are not a player in this game');
      if (r.status === 'finished') throw new ApiError(409, 'game_over', 'the game is over');
      if (r.status !== 'active') throw new ApiError(409, 'conflict', 'the game has not started: waiting for an opponent');
      if (expectedSeq < r.state_seq || expectedSeq > r.seq) {
        throw new ApiError(409, 'stale_seq', `expectedSeq ${expectedSeq} is stale: the game is at seq ${r.seq}`, {
          seq: r.seq,
          expectedSeq,
        });
      }
      if (r.turn !== seat) throw new ApiError(403, 'not_your_turn', 'it is not your turn');
      by = (seat === 0 ? r.p0_kind : r.p1_kind) ?? 'human';
      const engine = engineFor(r.type)!;
      const parsed = engine.moveSchema.safeParse(move);
      if (!parsed.success) {
        throw new ApiError(422, 'illegal_move', `not a ${r.type} move`, { reason: `not a ${r.type} move` });
      }
      const why = engine.illegalReason(r.state, parsed.data);
      if (why) throw new ApiError(422, 'illegal_move', why, { reason: why });

      r.state = engine.apply(r.state, parsed.data);
      r.move_count += 1;
      const outcome = engine.outcome(r.state);
      r.turn = engine.turn(r.state);
      let result: GameResult | null = null;
      if (outcome) {
        result = { winner: outcome.winner, reason: outcome.winner === null ? 'draw' : 'win', ...(outcome.line ? { line: outcome.line } : {}) };
        r.status = 'finished';
        r.result = result;
      }
      const moveSeq = await g.emit('move', {
        seat, playerId, move: parsed.data, reason: opts.reason ?? null, moveNumber: r.move_count,
        state: engine.publicView(r.state), turn: r.status === 'active' ? r.turn : null, status: r.status,
      }, { state: true });
      await g.q.query(
        'INSERT INTO moves (game_id, move_number, seq, seat, player_id, move, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [gameId, r.move_count, moveSeq, seat, playerId, JSON.stringify(parsed.data), opts.reason ?? null],
      );
      if (result) await this.finishGame(g, result);
      const game = await g.commit();
      const res: MoveResponse = { game, seq: moveSeq };
      if (opts.idempotencyKey) await storeResponse(g.q, playerId, opts.idempotencyKey, gameId, 'move', res);
      return res;
    });
    if (!replayed) this.onMove(response.game.type, by);
    return { response, replayed };
  }

  async resign(playerId: string, gameId: string): Promise<GameSnapshot> {
    return this.mutate(gameId, async (g) => {
      const r = g.row;
      const seat = seatOf(r, playerId);
      if (seat === null) throw new ApiError(403, 'forbidden', 'you are not a player in this game');
      if (r.status === 'finished') throw new ApiError(409, 'game_over', 'the game is over');
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

  /** Records the result: ratings (rated games with two players) and the game.over event. */
  private async finishGame(g: GameTx, result: GameResult): Promise<void> {
    const r = g.row;
    let ratings;
    if (r.rated && r.player0_id && r.player1_id && result.reason !== 'abandoned') {
      ratings = await rateGame(g.q, r.type, [r.player0_id, r.player1_id], result.winner);
    }
    await g.emit('game.over', ratings ? { result, ratings } : { result }, { state: true });
  }

  /** Emits agent.thinking (not a state change: it does not make expectedSeq stale). */
  async agentThinking(gameId: string, seat: 0 | 1, agentId: string, stateSeq: number): Promise<number> {
    return this.mutate(gameId, async (g) => {
      // The turn the runner claimed must still be the current one.
      if (g.row.state_seq !== stateSeq || g.row.status !== 'active' || g.row.turn !== seat) {
        throw new ApiError(409, 'stale_seq', 'the agent turn moved on');
      }
      const seq = await g.emit('agent.thinking', { seat, agentId });
      await g.commit();
      return seq;
    });
  }
}

async function storedResponse(q: Queryable, playerId: string, key: string, gameId: string, route: string): Promise<unknown | null> {
  const { rows } = await q.query<{ game_id: string; route: string; response: unknown }>(
    'SELECT game_id, route, response FROM idempotency WHERE player_id = $1 AND key = $2',
    [playerId, key],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.game_id !== gameId || row.route !== route) {
    throw new ApiError(422, 'conflict', 'this Idempotency-Key was already used for a different request');
  }
  return row.response;
}

async function storeResponse(q: Queryable, playerId: string, key: string, gameId: string, route: string, res: unknown) {
  const { rowCount } = await q.query(
    `INSERT INTO idempotency (player_id, key, game_id, route, status, response) VALUES ($1, $2, $3, $4, 200, $5)
     ON CONFLICT DO NOTHING`,
    [playerId, key, gameId, route, JSON.stringify(res)],
  );
  // The same key raced on another game: undo this move rather than answer twice.
  if (rowCount === 0) throw new ApiError(409, 'conflict', 'this Idempotency-Key is being used by another request');
}

export type { GameRow };
