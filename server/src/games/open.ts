import { engineFor, gameTopic, LOBBY_TOPIC, type CreateGameBody, type GameEventKind } from '@monkeytown/shared';
import type { Db, Queryable } from '../db/index.js';
import { ApiError, notFound } from '../http/errors.js';
import type { CommittedEvent } from '../outbox/publisher.js';
import { committedEvent } from './game-tx.js';
import { agentToMove } from './moves/plan.js';
import { SNAPSHOT_COLUMNS, SNAPSHOT_FROM, seatOf, toSnapshot, toSummary, type GameRow } from './snapshot.js';

/**
 * Creating and joining a game: one read (the players, and the game when it is not
 * cached) and ONE write statement each, its own transaction. The join's UPDATE checks
 * the seq and the open seat (a concurrent join or a stale cached row writes nothing and
 * is re-read); events, outbox rows and the rating rows of new players are written in
 * the same statement, joined on the row the UPDATE/INSERT returned.
 */

interface PlayerInfo {
  id: string;
  name: string;
  kind: 'human' | 'agent';
  agent_id: string | null;
  rating: number | null;
}

export interface Written {
  row: GameRow;
  events: CommittedEvent[];
}

const players = async (q: Queryable, type: string, ids: string[], agentId: string | null) =>
  (await q.query<PlayerInfo>(
    `SELECT p.id, p.name, p.kind, p.agent_id, r.rating FROM players p
     LEFT JOIN ratings r ON r.player_id = p.id AND r.game_type = $1
     WHERE p.id = ANY($2::uuid[]) OR p.agent_id = $3`,
    [type, ids, agentId],
  )).rows;

/** The event and outbox inserts of one game, given a CTE `w` returning the game's id; `$1` = game id. */
function eventsSql(first: number, n: number): string {
  const rows = Array.from({ length: n }, (_, i) => `($${first + 3 * i}::int, $${first + 3 * i + 1}::text, $${first + 3 * i + 2}::text)`).join(', ');
  return `ev AS (SELECT v.* FROM (VALUES ${rows}) AS v(seq, kind, data) CROSS JOIN w),
  ins_ev AS (INSERT INTO events (game_id, seq, kind, data) SELECT $1, seq, kind, data::jsonb FROM ev),
  ob AS (INSERT INTO outbox (topic, seq, kind, data)
    SELECT topic, seq, kind, data::jsonb FROM (
      SELECT 'game:' || $1 AS topic, seq, kind, data, seq AS ord FROM ev
      UNION ALL SELECT 'lobby', 0, 'lobby.game', $${first + 3 * n}::text, 1000000 FROM w) x ORDER BY ord
    RETURNING id, topic, seq, kind, at)
  SELECT id, topic, seq, kind, at FROM ob ORDER BY id`;
}

async function writeEvents(q: Queryable, sql: string, params: unknown[], row: GameRow, events: { seq: number; kind: GameEventKind; data: unknown }[]): Promise<CommittedEvent[] | null> {
  const lobby = { game: toSummary(toSnapshot(row)) };
  const { rows } = await q.query<{ id: number; topic: string; seq: number; kind: string; at: Date }>(sql, [
    ...params, ...events.flatMap((e) => [e.seq, e.kind, JSON.stringify(e.data)]), JSON.stringify(lobby),
  ]);
  if (!rows.length) return null;
  return rows.map((r) => committedEvent(r.id, r.topic, r.seq, r.kind,
    r.topic === LOBBY_TOPIC ? lobby : events.find((e) => e.seq === r.seq)!.data, new Date(r.at)));
}

function withSeat(row: GameRow, seat: 0 | 1, p: PlayerInfo): void {
  if (seat === 0) Object.assign(row, { player0_id: p.id, p0_name: p.name, p0_kind: p.kind, p0_agent: p.agent_id, p0_rating: p.rating });
  else Object.assign(row, { player1_id: p.id, p1_name: p.name, p1_kind: p.kind, p1_agent: p.agent_id, p1_rating: p.rating });
}

/**
 * `opponentId` seats a given person in the other seat at once (a rematch: both seats
 * taken); `db` may be a transaction (the rematch is created under the old game's lock).
 */
export async function createGame(db: Queryable, id: string, playerId: string, body: CreateGameBody, opponentId?: string): Promise<Written> {
  const engine = engineFor(body.type)!;
  const agentId = body.opponent.kind === 'agent' ? body.opponent.agentId : null;
  const found = await players(db, body.type, opponentId ? [playerId, opponentId] : [playerId], agentId);
  const me = found.find((p) => p.id === playerId);
  const agent = agentId ? found.find((p) => p.agent_id === agentId) : opponentId ? found.find((p) => p.id === opponentId) : undefined;
  if (!me) throw new ApiError('unauthorized', 'unknown player: create a new guest');
  if ((agentId || opponentId) && !agent) throw notFound(agentId ? 'agent' : 'player');
  const seat = body.seat ?? (Math.random() < 0.5 ? 0 : 1);
  const state = engine.initialState();
  const now = new Date();
  const row: GameRow = {
    id, type: body.type, status: agent ? 'active' : 'open', rated: body.rated, seq: 1, state_seq: 1, state,
    turn: engine.turn(state), move_count: 0, result: null, player0_id: null, player1_id: null, created_by: playerId,
    clock: body.clock ?? null, ai_due_at: null, offers: null, rematch_id: null, created_at: now, updated_at: now, updated_key: String(now.getTime() * 1000),
    p0_name: null, p0_kind: null, p0_agent: null, p0_rating: null, p1_name: null, p1_kind: null, p1_agent: null, p1_rating: null,
  };
  withSeat(row, seat, me);
  if (agent) withSeat(row, seat === 0 ? 1 : 0, agent);
  const snap = toSnapshot(row);
  const events = [{ seq: 1, kind: 'game.created' as const, data: { game: snap } }];
  const sql = `WITH rt AS (INSERT INTO ratings (player_id, game_type) SELECT unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING),
  w AS (INSERT INTO games (id, type, status, rated, seq, state_seq, state, turn, player0_id, player1_id, created_by, clock,
      created_at, updated_at, ai_due_at)
    VALUES ($1, $3, $4, $5, 1, 1, $6, $7, $8, $9, $10, $11, $12, $12, CASE WHEN $13::boolean THEN now() END) RETURNING id),
  ${eventsSql(14, events.length)}`;
  const out = await writeEvents(db, sql, [
    id, [row.player0_id, row.player1_id].filter(Boolean), body.type, row.status, body.rated, JSON.stringify(state), row.turn,
    row.player0_id, row.player1_id, playerId, body.clock ? JSON.stringify(body.clock) : null, now, agentToMove(row),
  ], row, events);
  return { row, events: out! };
}

/** The join; null when the row it was planned from is no longer current (re-read and try again). */
export async function joinGame(db: Db, row: GameRow, playerId: string): Promise<Written | null> {
  if (seatOf(row, playerId) !== null) throw new ApiError('conflict', 'you already sit at this game');
  if (row.status !== 'open') throw new ApiError('game_full', 'this game has no open seat');
  const me = (await players(db, row.type, [playerId], null))[0];
  if (!me) throw new ApiError('unauthorized', 'unknown player: create a new guest');
  const seat: 0 | 1 = row.player0_id ? 1 : 0;
  const now = new Date();
  const after: GameRow = { ...row, status: 'active', seq: row.seq + 1, state_seq: row.seq + 1, updated_at: now, updated_key: String(now.getTime() * 1000) };
  withSeat(after, seat, me);
  const events = [{
    seq: after.seq, kind: 'player.joined' as const,
    data: { player: { seat, playerId, name: me.name, kind: 'human', rating: Math.round(me.rating ?? 1500), provisional: false } }, // provisional: contract default (ratings fills it)
  }];
  const sql = `WITH w AS (UPDATE games SET player${seat}_id = $2, status = 'active', seq = $4, state_seq = $4, updated_at = $5,
      ai_due_at = CASE WHEN $6::boolean THEN now() END, ai_claimed_until = NULL
    WHERE id = $1 AND seq = $3 AND status = 'open' AND player${seat}_id IS NULL RETURNING id),
  rt AS (INSERT INTO ratings (player_id, game_type) SELECT $2, $7 FROM w ON CONFLICT DO NOTHING),
  ${eventsSql(8, events.length)}`;
  const out = await writeEvents(db, sql, [row.id, playerId, row.seq, after.seq, now, agentToMove(after), row.type], after, events);
  return out ? { row: after, events: out } : null;
}

export async function readGame(q: Queryable, id: string): Promise<GameRow | null> {
  const { rows } = await q.query<GameRow>(`SELECT ${SNAPSHOT_COLUMNS} FROM ${SNAPSHOT_FROM} WHERE g.id = $1`, [id]);
  return rows[0] ?? null;
}

export { gameTopic };
