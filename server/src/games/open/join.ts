import type { Queryable } from '../../db/index.js';
import type { ApiError } from '@monkeytown/shared';
import { rollClock, type ClockRules } from '../clock/clock.js';
import { agentToMove } from '../commands/move.js';
import type { GameSummary, PlayerJoinedEventData } from '@monkeytown/shared';
import { toSnapshot, toSummary, type GameRow } from '../snapshot.js';
import {
  colsOf, emojiParam, refusedPlayer, tokenCurrent, eventsSql, gameEvents, outboxCols, outboxJoin, playerCols, playerJoin, seatJson, withSeat, type OutboxCols,
} from './sql.js';
import type { Written } from './types.js';

/** One join, planned from `row` (cached or just read): the open seat of that version of the game. */
export interface JoinRequest {
  row: GameRow;
  playerId: string;
  /** The version the joiner's token carries, checked inside the statement (see CreateRequest). */
  tokenVersion?: number | undefined;
}

/**
 * Every join of a batch (one per game) in ONE statement, its own transaction. The
 * UPDATE takes a seat only where the game is still at the seq the join was planned
 * from, still open and that seat still empty (under concurrent writers, one or two
 * replicas, Postgres re-checks this on the row's newest version: one join wins, the
 * others update nothing and are told so). The joiner's name, kind and rating are
 * joined in; the player.joined and lobby.game JSON get the seat from there.
 */
const SQL = `
WITH u AS (
  SELECT * FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::int[], $5::text[], $6::timestamptz[], $7::bool[], $8::bool[],
    $9::text[], $10::text[], $14::int[], $15::text[])
    WITH ORDINALITY AS u(id, old_seq, player, seat, clock_state, flag_at, turn_mine, other_due, lobby, type, tv, joined, n)
), c AS (
  SELECT u.*, ${playerCols('me')}
  FROM u ${playerJoin('me', 'me.id = u.player', 'u.type')}
), s AS (
  SELECT c.*, other_due OR (turn_mine AND me_kind = 'agent') AS ai_due, ${seatJson('me', 'seat', '$12')} AS me_json FROM c
), upd AS (
  UPDATE games g SET player0_id = CASE s.seat WHEN 0 THEN s.me_id ELSE g.player0_id END,
    player1_id = CASE s.seat WHEN 1 THEN s.me_id ELSE g.player1_id END,
    status = 'active', seq = s.old_seq + 1, state_seq = s.old_seq + 1, updated_at = $11,
    ai_due_at = CASE WHEN s.ai_due THEN now() END, ai_claimed_until = NULL, clock_state = s.clock_state::jsonb, flag_at = s.flag_at
  FROM s
  WHERE s.me_id IS NOT NULL AND ${tokenCurrent('s.tv', 's.me')} AND g.id = s.id AND g.seq = s.old_seq AND g.status = 'open'
    AND (CASE s.seat WHEN 0 THEN g.player0_id ELSE g.player1_id END) IS NULL
  RETURNING g.id
), rt AS (
  INSERT INTO ratings (player_id, game_type)
  SELECT DISTINCT s.me_id, s.type FROM s JOIN upd ON upd.id = s.id ORDER BY 1, 2
  ON CONFLICT DO NOTHING
), ev AS (
  SELECT s.id AS game_id, s.old_seq + 1 AS seq, 'player.joined' AS kind, s.n, jsonb_build_object('player', me_json) || s.joined::jsonb AS data,
    jsonb_set(s.lobby::jsonb, '{game,players}', CASE s.seat WHEN 0 THEN jsonb_build_array(me_json) || (s.lobby::jsonb #> '{game,players}')
      ELSE (s.lobby::jsonb #> '{game,players}') || jsonb_build_array(me_json) END) AS lobby
  FROM s JOIN upd ON upd.id = s.id
), ${eventsSql('$13')}
SELECT s.n, upd.id IS NOT NULL AS applied, s.me_tv, s.me_id, s.me_name, s.me_kind, s.me_agent, s.me_rating, s.me_rd, ${outboxCols}
FROM s LEFT JOIN upd ON upd.id = s.id ${outboxJoin('s.id')} ORDER BY s.n`;

interface Planned {
  req: JoinRequest;
  after: GameRow;
  seat: 0 | 1;
  lobby: { game: GameSummary };
  /** What player.joined carries beside the seat (built in SQL): what the join changed, so clients fold it without the rules. */
  joined: Omit<PlayerJoinedEventData, 'player'>;
}

function plan(req: JoinRequest, now: Date, clocks: ClockRules): Planned {
  const { row } = req;
  const seat: 0 | 1 = row.player0_id ? 1 : 0;
  const after: GameRow = { ...row, status: 'active', seq: row.seq + 1, state_seq: row.seq + 1, updated_at: now, updated_key: String(now.getTime() * 1000) };
  rollClock(after, now, clocks); // the game is active: its clocks start now
  const joined = { status: after.status, turn: after.turn, ...(after.clock_state ? { clockState: after.clock_state } : {}) };
  return { req, after, seat, lobby: { game: toSummary(toSnapshot(after)) }, joined };
}

type Out = Record<string, unknown> & OutboxCols & { n: string; applied: boolean };

/**
 * Writes the joins; per request its Written, null when the row it was planned from is
 * no longer current (re-read and try again), or the ApiError it is refused with.
 */
export async function writeJoins(q: Queryable, reqs: readonly JoinRequest[], now: Date, clocks: ClockRules, marks: readonly number[] = []): Promise<(Written | ApiError | null)[]> {
  const planned = reqs.map((r) => plan(r, now, clocks));
  const col = <T>(f: (p: Planned) => T) => planned.map(f);
  const { rows } = await q.query<Out>(SQL, [
    col((p) => p.after.id), col((p) => p.req.row.seq), col((p) => p.req.playerId), col((p) => p.seat),
    col((p) => (p.after.clock_state ? JSON.stringify(p.after.clock_state) : null)), col((p) => p.after.flag_at),
    col((p) => p.after.turn === p.seat), col((p) => agentToMove(p.after)), // the joiner's kind is not known yet: false for its seat
    col((p) => JSON.stringify(p.lobby)), col((p) => p.after.type), now, emojiParam(), marks, col((p) => p.req.tokenVersion ?? null),
    col((p) => JSON.stringify(p.joined)),
  ]);
  return rows.map((r) => {
    const p = planned[Number(r.n) - 1]!;
    const me = colsOf(r, 'me');
    const refused = refusedPlayer(me, p.req.tokenVersion, r.me_tv);
    if (refused) return refused;
    if (!r.applied) return null;
    withSeat(p.after, p.seat, me);
    const game = toSnapshot(p.after);
    const player = game.players.find((s) => s.seat === p.seat)!;
    const lobby = { game: { ...p.lobby.game, players: game.players } };
    const data: PlayerJoinedEventData = { player, ...p.joined };
    return { row: p.after, game, events: gameEvents(p.after.id, r, { seq: p.after.seq, kind: 'player.joined', data }, lobby) };
  });
}
