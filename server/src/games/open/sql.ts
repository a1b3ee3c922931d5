import { signedOut } from '../../auth/signed-out.js';
import { gameTopic, LOBBY_TOPIC } from '@monkeytown/shared';
import { ApiError } from '@monkeytown/shared';
import { committedEvent } from '../pipeline/events.js';
import { GLICKO_DEFAULTS, PROVISIONAL_RD } from '../ratings.js';
import { agentEmoji, DEFAULT_RATING, type GameRow } from '../snapshot.js';
import type { CommittedEvent } from '../../outbox/publisher.js';
import type { LobbyEventData } from '@monkeytown/shared';
import type { PlannedEvent } from '../commands/types.js';

/**
 * The pieces the creation and join statements share. Neither reads the players
 * first: their names, kinds and ratings are joined inside the write statement, the
 * seats' JSON for the stored events is built there (exactly as snapshot.ts seatInfo
 * builds it in JS: tested in test/games/open-batch.test.ts), and the columns are
 * RETURNED for the response and the cache.
 */

/**
 * A player's columns, `<p>_id … <p>_rd` and `<p>_tv` (token version), from `players <p>`
 * and `ratings <p>r` joined by playerJoin.
 */
export const playerCols = (p: string) =>
  `${p}.id AS ${p}_id, ${p}.name AS ${p}_name, ${p}.kind AS ${p}_kind, ${p}.agent_id AS ${p}_agent, ${p}r.rating AS ${p}_rating, ${p}r.rd AS ${p}_rd,
  ${p}.token_version AS ${p}_tv`;

/** The request's player, where its token's version (`tv`, null: not checked here) is still the player's. */
export const tokenCurrent = (tv: string, p: string) => `(${tv} IS NULL OR ${p}_tv = ${tv})`;

/** A request refused inside the statement: its player is unknown, or its token was signed out meanwhile. */
export function refusedPlayer(me: PlayerCols, tokenVersion: number | undefined, tv: unknown): ApiError | null {
  if (!me.id) return new ApiError('unauthorized', 'unknown player: create a new guest');
  if (tokenVersion !== undefined && tv !== tokenVersion) return signedOut();
  return null;
}

export const playerJoin = (p: string, on: string, type: string) =>
  `LEFT JOIN players ${p} ON ${on} LEFT JOIN ratings ${p}r ON ${p}r.player_id = ${p}.id AND ${p}r.game_type = ${type}`;

/**
 * SeatInfo JSON from the columns playerCols named; `emojis` is a jsonb parameter
 * {agentId: emoji} (the troop's emoji live in memory, snapshot.ts agentEmoji).
 * Math.round(x) is floor(x + 0.5).
 */
export const seatJson = (p: string, seat: string, emojis: string) =>
  `jsonb_build_object('seat', ${seat}, 'playerId', ${p}_id, 'name', coalesce(${p}_name, '?'), 'kind', coalesce(${p}_kind, 'human'),
    'rating', floor(coalesce(${p}_rating, ${DEFAULT_RATING}) + 0.5)::int, 'provisional', coalesce(${p}_rd, ${GLICKO_DEFAULTS.rd}) > ${PROVISIONAL_RD})
    || jsonb_strip_nulls(jsonb_build_object('agentId', ${p}_agent, 'emoji', ${emojis}::jsonb ->> ${p}_agent))`;

/**
 * Given a CTE `ev(game_id, seq, kind, data jsonb, lobby jsonb, n)` of the written games:
 * their events, and the outbox rows (game events first, then the lobby rows, in
 * request order; a game event's data is stored in `events` only, as in
 * pipeline/write.ts), and the published outbox rows `marks` (a bigint[] parameter)
 * deleted at no extra round trip. `ob` returns the outbox rows with the game they belong to.
 */
export const eventsSql = (marks: string) => `
ins_ev AS (
  INSERT INTO events (game_id, seq, kind, data) SELECT game_id, seq, kind, data FROM ev
), ob AS (
  INSERT INTO outbox (topic, seq, kind, data)
  SELECT topic, seq, kind, data FROM (
    SELECT 'game:' || game_id AS topic, seq, kind, NULL AS data, n AS ord FROM ev
    UNION ALL SELECT 'lobby', 0, 'lobby.game', lobby, 1000000 + n FROM ev
  ) x ORDER BY ord
  RETURNING id, topic, at, CASE WHEN topic = 'lobby' THEN data->'game'->>'id' ELSE substr(topic, 6) END AS game_id
), marked AS (
  DELETE FROM outbox WHERE id = ANY(${marks}::bigint[])
)`;

/** The final SELECT's outbox columns for the game `id` (a uuid expression): its event and its lobby row. */
export const outboxCols = 'ge.id AS ev_id, ge.at AS ev_at, lo.id AS lobby_id, lo.at AS lobby_at';
export const outboxJoin = (id: string) =>
  `LEFT JOIN ob ge ON ge.game_id = ${id}::text AND ge.topic <> 'lobby' LEFT JOIN ob lo ON lo.game_id = ${id}::text AND lo.topic = 'lobby'`;

export interface OutboxCols {
  ev_id: number | null;
  ev_at: Date | null;
  lobby_id: number | null;
  lobby_at: Date | null;
}

/** A player as the statements return it (playerCols). */
export interface PlayerCols {
  id: string | null;
  name: string | null;
  kind: 'human' | 'agent' | null;
  agent: string | null;
  rating: number | null;
  rd: number | null;
}

export const colsOf = (r: Record<string, unknown>, p: string): PlayerCols => ({
  id: r[`${p}_id`] as string | null, name: r[`${p}_name`] as string | null, kind: r[`${p}_kind`] as PlayerCols['kind'],
  agent: r[`${p}_agent`] as string | null, rating: r[`${p}_rating`] as number | null, rd: r[`${p}_rd`] as number | null,
});

export function withSeat(row: GameRow, seat: 0 | 1, p: PlayerCols): void {
  if (seat === 0) Object.assign(row, { player0_id: p.id, p0_name: p.name, p0_kind: p.kind, p0_agent: p.agent, p0_rating: p.rating, p0_rd: p.rd });
  else Object.assign(row, { player1_id: p.id, p1_name: p.name, p1_kind: p.kind, p1_agent: p.agent, p1_rating: p.rating, p1_rd: p.rd });
}

export const emojiParam = () => JSON.stringify(Object.fromEntries(agentEmoji));

/** A written game's two outbox rows as bus events: its event (kind, seq, data) and its lobby.game row. */
export function gameEvents(gameId: string, r: OutboxCols, e: PlannedEvent, lobbyData: LobbyEventData): CommittedEvent[] {
  return [
    committedEvent(r.ev_id!, gameTopic(gameId), e.seq, e.kind, e.data, new Date(r.ev_at!)),
    committedEvent(r.lobby_id!, LOBBY_TOPIC, 0, 'lobby.game', lobbyData, new Date(r.lobby_at!)),
  ];
}
