import { engineFor, type CreateGameBody, type GameSnapshot } from '@monkeytown/shared';
import type { Queryable } from '../../db/index.js';
import { notFound, type ApiError } from '@monkeytown/shared';
import { rollClock, type ClockRules } from '../clock/clock.js';
import { toSnapshot, toSummary, type GameRow } from '../snapshot.js';
import {
  colsOf, emojiParam, refusedPlayer, tokenCurrent, eventsSql, gameEvents, outboxCols, outboxJoin, playerCols, playerJoin, seatJson, withSeat,
  type OutboxCols, type PlayerCols,
} from './sql.js';
import type { Written } from './types.js';

/** One creation: `opponentId` seats a given person in the other seat at once (a rematch). */
export interface CreateRequest {
  id: string;
  playerId: string;
  body: CreateGameBody;
  opponentId?: string | undefined;
  /**
   * The version the creator's token carries, checked inside the statement (a token
   * signed out meanwhile creates nothing: 401); undefined when the caller checked it.
   */
  tokenVersion?: number | undefined;
}

/**
 * Every creation of a batch in ONE statement, its own transaction: the creator and the
 * opponent (by id, or the agent by agent id) are joined in, a game is inserted only
 * where they exist, and the game.created / lobby.game JSON planned in JS gets its
 * `players` (and `agentThinking`) from those joined rows. The rating rows of new
 * players are created beside it. Returns per request its player columns and outbox rows.
 */
const SQL = `
WITH u AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::text[], $7::text[], $8::bool[],
    $9::text[], $10::int[], $11::text[], $12::text[], $13::timestamptz[], $14::text[], $15::text[], $19::int[])
    WITH ORDINALITY AS u(id, me, opp, agent, seat, type, status, rated, state, turn, clock, clock_state, flag_at, snap, lobby, tv, n)
), c AS (
  SELECT u.*, ${playerCols('me')}, ${playerCols('op')}
  FROM u ${playerJoin('me', 'me.id = u.me', 'u.type')}
  ${playerJoin('op', '(op.id = u.opp OR op.agent_id = u.agent)', 'u.type')}
), s AS (
  SELECT c.*, me_id IS NOT NULL AND ${tokenCurrent('tv', 'me')} AND (op_id IS NOT NULL OR (opp IS NULL AND agent IS NULL)) AS ok,
    coalesce(status = 'active' AND (CASE turn WHEN seat THEN me_kind WHEN 1 - seat THEN op_kind END) = 'agent', false) AS ai_due,
    ${seatJson('me', 'seat', '$17')} AS me_json,
    CASE WHEN op_id IS NOT NULL THEN ${seatJson('op', '1 - seat', '$17')} END AS op_json
  FROM c
), w AS (
  INSERT INTO games (id, type, status, rated, seq, state_seq, state, turn, player0_id, player1_id, created_by, clock,
    created_at, updated_at, ai_due_at, clock_state, flag_at)
  SELECT id, type, status, rated, 1, 1, state::jsonb, turn, CASE seat WHEN 0 THEN me_id ELSE op_id END,
    CASE seat WHEN 1 THEN me_id ELSE op_id END, me_id, clock::jsonb, $16, $16, CASE WHEN ai_due THEN now() END,
    clock_state::jsonb, flag_at
  FROM s WHERE ok ORDER BY n
  RETURNING id
), rt AS (
  INSERT INTO ratings (player_id, game_type)
  SELECT DISTINCT x.pid, s.type FROM s JOIN w ON w.id = s.id CROSS JOIN LATERAL (VALUES (s.me_id), (s.op_id)) x(pid)
  WHERE x.pid IS NOT NULL ORDER BY 1, 2
  ON CONFLICT DO NOTHING
), pl AS (
  SELECT s.*, CASE WHEN op_json IS NULL THEN jsonb_build_array(me_json) WHEN seat = 0 THEN jsonb_build_array(me_json, op_json)
    ELSE jsonb_build_array(op_json, me_json) END AS players
  FROM s JOIN w ON w.id = s.id
), ev AS (
  SELECT id AS game_id, 1 AS seq, 'game.created' AS kind, n,
    jsonb_set(jsonb_set(snap::jsonb, '{game,players}', players), '{game,agentThinking}', to_jsonb(ai_due)) AS data,
    jsonb_set(lobby::jsonb, '{game,players}', players) AS lobby
  FROM pl
), ${eventsSql('$18')}
SELECT s.n, s.ok, s.me_tv, ${['me', 'op'].map((p) => ['id', 'name', 'kind', 'agent', 'rating', 'rd'].map((c) => `s.${p}_${c}`).join(', ')).join(', ')},
  ${outboxCols}
FROM s ${outboxJoin('s.id')} ORDER BY s.n`;

interface Planned {
  req: CreateRequest;
  row: GameRow;
  seat: 0 | 1;
  snap: GameSnapshot;
}

/** The game as the creation makes it, its seats still empty (filled from what the statement returns). */
function plan(req: CreateRequest, now: Date, clocks: ClockRules): Planned {
  const { body } = req;
  const engine = engineFor(body.type)!;
  const state = engine.initialState();
  const seat = body.seat ?? (Math.random() < 0.5 ? 0 : 1);
  const withOpponent = body.opponent.kind === 'agent' || req.opponentId !== undefined;
  const row: GameRow = {
    id: req.id, type: body.type, status: withOpponent ? 'active' : 'open', rated: body.rated, seq: 1, state_seq: 1, state,
    turn: engine.turn(state), move_count: 0, result: null, player0_id: null, player1_id: null, created_by: req.playerId,
    clock: body.clock ?? null, clock_state: null, flag_at: null, ai_due_at: null, offers: null, rematch_id: null, created_at: now, updated_at: now, updated_key: String(now.getTime() * 1000),
    p0_name: null, p0_kind: null, p0_agent: null, p0_rating: null, p1_name: null, p1_kind: null, p1_agent: null, p1_rating: null,
    p0_rd: null, p1_rd: null, rating_changes: null,
  };
  rollClock(row, now, clocks); // against an opponent the game is active: its clocks start now
  return { req, row, seat, snap: toSnapshot(row) };
}

type Out = Record<string, unknown> & OutboxCols & { n: string; ok: boolean };

/** Writes the creations; per request its Written, or the ApiError it is refused with. */
export async function writeCreations(q: Queryable, reqs: readonly CreateRequest[], now: Date, clocks: ClockRules, marks: readonly number[] = []): Promise<(Written | ApiError)[]> {
  const planned = reqs.map((r) => plan(r, now, clocks));
  const col = <T>(f: (p: Planned) => T) => planned.map(f);
  const { rows } = await q.query<Out>(SQL, [
    col((p) => p.row.id), col((p) => p.req.playerId), col((p) => p.req.opponentId ?? null),
    col((p) => (p.req.body.opponent.kind === 'agent' ? p.req.body.opponent.agentId : null)), col((p) => p.seat),
    col((p) => p.row.type), col((p) => p.row.status), col((p) => p.row.rated), col((p) => JSON.stringify(p.row.state)),
    col((p) => p.row.turn), col((p) => (p.row.clock ? JSON.stringify(p.row.clock) : null)),
    col((p) => (p.row.clock_state ? JSON.stringify(p.row.clock_state) : null)), col((p) => p.row.flag_at),
    col((p) => JSON.stringify({ game: p.snap })), col((p) => JSON.stringify({ game: toSummary(p.snap) })),
    now, emojiParam(), marks, col((p) => p.req.tokenVersion ?? null),
  ]);
  return rows.map((r) => {
    const p = planned[Number(r.n) - 1]!;
    const me: PlayerCols = colsOf(r, 'me');
    const op: PlayerCols = colsOf(r, 'op');
    const refused = refusedPlayer(me, p.req.tokenVersion, r.me_tv);
    if (refused) return refused;
    if (!r.ok) return notFound(p.req.body.opponent.kind === 'agent' ? 'agent' : 'player');
    withSeat(p.row, p.seat, me);
    if (op.id) withSeat(p.row, p.seat === 0 ? 1 : 0, op);
    const game = toSnapshot(p.row);
    // What was stored: the planned JSON with the seats (and agentThinking) the statement joined in.
    const data = { game: { ...p.snap, players: game.players, agentThinking: game.agentThinking } };
    const lobby = { game: { ...toSummary(p.snap), players: game.players } };
    return { row: p.row, game, events: gameEvents(p.row.id, r, { seq: 1, kind: 'game.created', data }, lobby) };
  });
}
