import { engineFor, type ClockState, type GameSnapshot, type GameSummary, type RatingChange, type SeatInfo } from '@monkeytown/shared';
import type { Queryable } from '../db/index.js';
import { clockAt } from './clock/clock.js';
import { isProvisional } from './ratings.js';
import { openOffers, type StoredOffers } from './commands/offers-state.js';
import { liveRules } from './commands/live-rules.js';

/**
 * The one place a game row becomes what clients see: GET /api/games/:id, move
 * responses, lobby rows and lobby.game events all come from here.
 */
export const SNAPSHOT_COLUMNS = `
  g.id, g.type, g.status, g.rated, g.seq, g.state_seq, g.state, g.turn, g.move_count, g.result,
  g.player0_id, g.player1_id, g.created_by, g.clock, g.clock_state, g.flag_at, g.ai_due_at, g.created_at, g.updated_at,
  g.offers, g.rematch_id,
  (extract(epoch from g.updated_at) * 1000000)::bigint::text AS updated_key,
  p0.name AS p0_name, p0.kind AS p0_kind, p0.agent_id AS p0_agent, r0.rating AS p0_rating,
  p1.name AS p1_name, p1.kind AS p1_kind, p1.agent_id AS p1_agent, r1.rating AS p1_rating,
  r0.rd AS p0_rd, r1.rd AS p1_rd, g.rating_changes`;

/** The players/ratings joins onto a game row named `g` (a table or a CTE). */
export const SNAPSHOT_JOINS = `
  LEFT JOIN players p0 ON p0.id = g.player0_id
  LEFT JOIN ratings r0 ON r0.player_id = g.player0_id AND r0.game_type = g.type
  LEFT JOIN players p1 ON p1.id = g.player1_id
  LEFT JOIN ratings r1 ON r1.player_id = g.player1_id AND r1.game_type = g.type`;

export const SNAPSHOT_FROM = `games g ${SNAPSHOT_JOINS}`;

export interface GameRow {
  id: string;
  type: string;
  status: 'open' | 'active' | 'finished';
  rated: boolean;
  seq: number;
  state_seq: number;
  state: unknown;
  turn: 0 | 1 | null;
  move_count: number;
  result: GameSnapshot['result'];
  player0_id: string | null;
  player1_id: string | null;
  created_by: string;
  clock: GameSnapshot['clock'];
  /** Timed games: the clocks as the last state change left them (games/clock/clock.ts). */
  clock_state: ClockState | null;
  /** The next deadline: flag, idle expiry or open-seat expiry (games/clock/scheduler.ts). */
  flag_at: Date | null;
  ai_due_at: Date | null;
  /** Open offers (migration 006; see commands/offers-state.ts). */
  offers: StoredOffers | null;
  rematch_id: string | null;
  created_at: Date;
  updated_at: Date;
  updated_key: string;
  p0_name: string | null;
  p0_kind: 'human' | 'agent' | null;
  p0_agent: string | null;
  p0_rating: number | null;
  p1_name: string | null;
  p1_kind: 'human' | 'agent' | null;
  p1_agent: string | null;
  p1_rating: number | null;
  /** Rating deviations (null: no rating row yet, i.e. a new player at the default RD). */
  p0_rd: number | null;
  p1_rd: number | null;
  /** Set when the game finished rated (ratings.ts storeRatingChanges). */
  rating_changes: RatingChange[] | null;
}

export const DEFAULT_RATING = 1500;

/** Emoji per agent id, filled from the troop at start (keeps this module free of the AI package). */
export const agentEmoji = new Map<string, string>();

function seatInfo(row: GameRow, seat: 0 | 1): SeatInfo | null {
  const id = seat === 0 ? row.player0_id : row.player1_id;
  if (!id) return null;
  const kind = (seat === 0 ? row.p0_kind : row.p1_kind) ?? 'human';
  const agentId = seat === 0 ? row.p0_agent : row.p1_agent;
  const info: SeatInfo = {
    seat,
    playerId: id,
    name: (seat === 0 ? row.p0_name : row.p1_name) ?? '?',
    kind,
    rating: Math.round((seat === 0 ? row.p0_rating : row.p1_rating) ?? DEFAULT_RATING),
    provisional: isProvisional(seat === 0 ? row.p0_rd : row.p1_rd),
  };
  if (agentId) {
    info.agentId = agentId as SeatInfo['agentId'];
    const emoji = agentEmoji.get(agentId);
    if (emoji) info.emoji = emoji;
  }
  return info;
}

export function seatOf(row: Pick<GameRow, 'player0_id' | 'player1_id'>, playerId: string): 0 | 1 | null {
  if (row.player0_id === playerId) return 0;
  if (row.player1_id === playerId) return 1;
  return null;
}

export function toSnapshot(row: GameRow): GameSnapshot {
  const engine = engineFor(row.type);
  const players = [seatInfo(row, 0), seatInfo(row, 1)].filter((s): s is SeatInfo => s !== null);
  const active = row.status === 'active';
  const turnSeat = active ? row.turn : null;
  const turnKind = turnSeat === 0 ? row.p0_kind : turnSeat === 1 ? row.p1_kind : null;
  return {
    id: row.id,
    type: row.type as GameSnapshot['type'],
    status: row.status,
    rated: row.rated,
    seq: row.seq,
    players,
    turn: turnSeat,
    state: engine ? engine.publicView(row.state) : row.state,
    legalMoves: active && engine ? (engine.legalMoves(row.state) as GameSnapshot['legalMoves']) : [],
    moveCount: row.move_count,
    result: row.result,
    // Spectators are counted by the event stream (presence messages), not stored here.
    spectators: 0,
    agentThinking: active && turnKind === 'agent',
    clock: row.clock,
    // Remaining as of this read: the running side's time counts down from its commit.
    clockState: row.clock_state ? clockAt(row.clock_state, Date.now()) : null,
    offers: openOffers(row),
    rematchId: row.rematch_id,
    ratingChanges: row.rating_changes ?? null, // stored when the game finished rated (ratings.ts)
    claimAfterSeconds: liveRules.claimAfterSeconds,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toSummary(snap: GameSnapshot): GameSummary {
  const { id, type, status, rated, seq, players, turn, moveCount, result, spectators, clock, ratingChanges, createdAt, updatedAt } = snap;
  return { id, type, status, rated, seq, players, turn, moveCount, result, spectators, clock, ratingChanges, createdAt, updatedAt };
}

export async function loadGameRow(q: Queryable, id: string, forUpdate = false): Promise<GameRow | null> {
  if (forUpdate) {
    // Lock the game row alone (FOR UPDATE OF g): the joined players/ratings stay unlocked.
    const { rows } = await q.query<GameRow>(`SELECT ${SNAPSHOT_COLUMNS} FROM ${SNAPSHOT_FROM} WHERE g.id = $1 FOR UPDATE OF g`, [id]);
    return rows[0] ?? null;
  }
  const { rows } = await q.query<GameRow>(`SELECT ${SNAPSHOT_COLUMNS} FROM ${SNAPSHOT_FROM} WHERE g.id = $1`, [id]);
  return rows[0] ?? null;
}
