import { gameTopic, LOBBY_TOPIC } from '@monkeytown/shared';
import type { Queryable } from '../../db/index.js';
import { committedEvent } from './events.js';
import type { CommittedEvent } from '../../outbox/publisher.js';
import type { CommandPlan } from '../commands/types.js';
import { agentToMove } from '../commands/move.js';
import { noRatings, type RatingWrites } from './rate.js';
import type { LobbyRow } from './lobby-throttle.js';

/** One planned command ready to be written, with what the write stores beside it. */
export interface WriteItem {
  plan: CommandPlan;
  /** The actor (null: the system). */
  playerId: string | null;
  /** A person's command: applied only while the player's token_version is still this (sign-out). */
  tokenVersion?: number | null;
  /** The lobby.game data (summary after the command), or null when nothing is due to the lobby (throttled, no state change). */
  lobby: unknown;
  /** Stored under the Idempotency-Key (the response this request answers with). */
  idempotency?: { route: string; key: string; fingerprint: string; response: unknown };
}

export interface WriteResult {
  /** Games whose seq check passed: their moves are committed. */
  applied: Set<string>;
  /** The outbox rows written, in id order, as bus events. */
  events: CommittedEvent[];
}

/**
 * Every command of a batch (at most one per game) in ONE statement, which is its own
 * transaction: durable when it returns (synchronous_commit on). The UPDATE applies a
 * game's new row only where the game is still at the seq the command was planned
 * from (`g.seq = u.old_seq`; under concurrent writers Postgres re-checks it on the
 * row's newest version); every other insert joins on the games that UPDATE returned,
 * so a command whose check failed writes nothing and the others commit. A command
 * that changes no state (chat, an offer made, agent.thinking) moves the seq only:
 * updated_at and the AI runner's due time and claim stay as they were. A move's row
 * goes into `moves`; a takeback deletes the rows of the moves it undid. A game event's
 * data is stored once, in `events`: its outbox row carries none (the relay reads it from
 * `events` on the rare path it publishes one). `marks` are outbox rows already published
 * directly, deleted here at no extra round trip (nothing reads a published row).
 * `ratings` (from pipeline/rate.ts, only inside a transaction that locked those rows)
 * are written as they are, and a game rated here gets its rating changes on its row in
 * the same UPDATE (games.rating_changes: no statement of their own): the caller rolls
 * back when a rated game's check failed.
 * The clocks and the next deadline (games/clock) ride in the same UPDATE, and so does
 * the mover's token version: a person's move whose token was signed out (on any
 * replica) fails the same check and writes nothing, at no extra round trip.
 */
const SQL = `
WITH u AS (
  SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[], $5::int[], $6::int[], $7::text[], $8::text[], $9::bool[],
    $39::text[], $40::timestamptz[], $41::uuid[], $42::int[], $44::int[], $45::bool[], $46::text[], $47::uuid[], $51::text[])
    AS u(id, old_seq, seq, state, turn, move_count, result, status, ai_due, clock_state, flag_at, mover, token_version,
      state_seq, changed, offers, rematch_id, rating_changes)
), upd AS (
  UPDATE games g SET seq = u.seq, state_seq = u.state_seq, state = u.state::jsonb, turn = u.turn, move_count = u.move_count,
    result = u.result::jsonb, status = u.status, updated_at = CASE WHEN u.changed THEN $10 ELSE g.updated_at END,
    ai_due_at = CASE WHEN NOT u.changed THEN g.ai_due_at WHEN u.ai_due THEN now() END,
    ai_claimed_until = CASE WHEN u.changed THEN NULL ELSE g.ai_claimed_until END,
    clock_state = u.clock_state::jsonb, flag_at = u.flag_at, offers = u.offers::jsonb, rematch_id = u.rematch_id,
    rating_changes = coalesce(u.rating_changes::jsonb, g.rating_changes)
  FROM u WHERE g.id = u.id AND g.seq = u.old_seq
    AND (u.token_version IS NULL OR EXISTS (SELECT 1 FROM players p WHERE p.id = u.mover AND p.token_version = u.token_version))
  RETURNING g.id
), ev AS (
  SELECT e.* FROM unnest($11::uuid[], $12::int[], $13::text[], $14::text[]) WITH ORDINALITY AS e(game_id, seq, kind, data, n)
  JOIN upd ON upd.id = e.game_id
), ins_events AS (
  INSERT INTO events (game_id, seq, kind, data) SELECT game_id, seq, kind, data::jsonb FROM ev
), ins_moves AS (
  INSERT INTO moves (game_id, move_number, seq, seat, player_id, move, reason)
  SELECT m.game_id, m.move_number, m.seq, m.seat, m.player_id, m.move::jsonb, m.reason
  FROM unnest($15::uuid[], $16::int[], $17::int[], $18::int[], $19::uuid[], $20::text[], $21::text[])
    AS m(game_id, move_number, seq, seat, player_id, move, reason)
  JOIN upd ON upd.id = m.game_id
), del_moves AS (
  DELETE FROM moves m USING unnest($48::uuid[], $49::int[]) AS d(game_id, keep), upd
  WHERE upd.id = d.game_id AND m.game_id = d.game_id AND m.move_number > d.keep
), ins_idem AS (
  INSERT INTO idempotency (player_id, key, game_id, route, status, response, fingerprint)
  SELECT i.player_id, i.key, i.game_id, i.route, 200, i.response::jsonb, i.fingerprint
  FROM unnest($22::uuid[], $23::text[], $24::uuid[], $25::text[], $26::text[], $50::text[])
    AS i(player_id, key, game_id, response, fingerprint, route)
  JOIN upd ON upd.id = i.game_id
), ob AS (
  INSERT INTO outbox (topic, seq, kind, data)
  SELECT topic, seq, kind, data::jsonb FROM (
    SELECT 'game:' || game_id AS topic, seq, kind, NULL AS data, n AS ord FROM ev
    UNION ALL
    SELECT 'lobby', 0, 'lobby.game', l.data, 1000000 + l.n FROM unnest($27::uuid[], $28::text[]) WITH ORDINALITY AS l(game_id, data, n)
    JOIN upd ON upd.id = l.game_id
    UNION ALL
    SELECT 'lobby', 0, 'lobby.game', h.data, 2000000 + h.n FROM unnest($43::text[]) WITH ORDINALITY AS h(data, n)
  ) x ORDER BY ord
  RETURNING id, topic, seq, kind, at, CASE WHEN topic = 'lobby' THEN data->'game'->>'id' END AS lobby_game
), marked AS (
  DELETE FROM outbox WHERE id = ANY($29::bigint[])
), rated AS (
  INSERT INTO ratings (player_id, game_type, rating, rd, vol, games, wins, losses, draws)
  SELECT * FROM unnest($30::uuid[], $31::text[], $32::float8[], $33::float8[], $34::float8[], $35::int[], $36::int[], $37::int[], $38::int[])
  ON CONFLICT (player_id, game_type) DO UPDATE SET rating = EXCLUDED.rating, rd = EXCLUDED.rd, vol = EXCLUDED.vol,
    games = ratings.games + EXCLUDED.games, wins = ratings.wins + EXCLUDED.wins, losses = ratings.losses + EXCLUDED.losses,
    draws = ratings.draws + EXCLUDED.draws, updated_at = now()
)
SELECT id, topic, seq, kind, at, lobby_game FROM ob
UNION ALL SELECT NULL, 'game:' || upd.id, NULL, NULL, NULL, NULL FROM upd
ORDER BY id NULLS LAST`;

interface OutRow {
  /** Null: a row per applied game. */
  id: number | null;
  topic: string;
  seq: number;
  kind: string;
  at: Date;
  lobby_game: string | null;
}

/**
 * `heldLobby`: lobby rows the lobby throttle held back earlier (pipeline/lobby-throttle.ts),
 * carried by this statement whatever happens to its moves.
 */
export async function writeCommands(
  q: Queryable, items: readonly WriteItem[], updatedAt: Date, marks: readonly number[], ratings: RatingWrites = noRatings(),
  heldLobby: readonly LobbyRow[] = [],
): Promise<WriteResult> {
  const cols = (n: number) => Array.from({ length: n }, () => [] as unknown[]);
  const [gId, gOld, gSeq, gState, gTurn, gCount, gResult, gStatus, gAi, gClock, gFlag, gMover, gVersion] = cols(13);
  const [gStateSeq, gChanged, gOffers, gRematch, gRatingChanges, dGame, dKeep] = cols(7);
  const [eGame, eSeq, eKind, eData] = cols(4);
  const [mGame, mNum, mSeq, mSeat, mPlayer, mMove, mReason] = cols(7);
  const [iPlayer, iKey, iGame, iResp, iFp, iRoute] = cols(6);
  const [lGame, lData] = cols(2);
  const data = new Map<string, unknown>(); // "<topic>\n<seq>" → event data, for the bus events
  const lobbyData = new Map<string, unknown>();
  for (const it of items) {
    const { before, after } = it.plan;
    gId!.push(after.id); gOld!.push(before.seq); gSeq!.push(after.seq); gState!.push(JSON.stringify(after.state));
    gTurn!.push(after.turn); gCount!.push(after.move_count); gResult!.push(after.result ? JSON.stringify(after.result) : null);
    gStatus!.push(after.status); gAi!.push(agentToMove(after));
    gClock!.push(after.clock_state ? JSON.stringify(after.clock_state) : null); gFlag!.push(after.flag_at);
    gMover!.push(it.playerId); gVersion!.push(it.tokenVersion ?? null);
    gStateSeq!.push(after.state_seq); gChanged!.push(it.plan.state);
    gOffers!.push(after.offers ? JSON.stringify(after.offers) : null); gRematch!.push(after.rematch_id);
    // Only a game this write rates (pipeline/rate.ts set them): null keeps what the row has.
    gRatingChanges!.push(it.plan.needsRating && after.rating_changes ? JSON.stringify(after.rating_changes) : null);
    for (const e of it.plan.events) {
      eGame!.push(after.id); eSeq!.push(e.seq); eKind!.push(e.kind); eData!.push(JSON.stringify(e.data));
      data.set(`${gameTopic(after.id)}\n${e.seq}`, e.data);
    }
    const m = it.plan.move;
    if (m) {
      mGame!.push(after.id); mNum!.push(after.move_count); mSeq!.push(m.seq); mSeat!.push(m.seat);
      mPlayer!.push(it.playerId); mMove!.push(JSON.stringify(m.move)); mReason!.push(m.reason);
    }
    if (it.plan.keepMoves !== undefined) {
      dGame!.push(after.id); dKeep!.push(it.plan.keepMoves);
    }
    if (it.idempotency) {
      iPlayer!.push(it.playerId); iKey!.push(it.idempotency.key); iGame!.push(after.id);
      iResp!.push(JSON.stringify(it.idempotency.response)); iFp!.push(it.idempotency.fingerprint); iRoute!.push(it.idempotency.route);
    }
    if (it.lobby !== null) {
      lGame!.push(after.id); lData!.push(JSON.stringify(it.lobby));
      lobbyData.set(after.id, it.lobby);
    }
  }
  for (const h of heldLobby) lobbyData.set(h.gameId, h.data);
  const { rows } = await q.query<OutRow>(SQL, [
    gId, gOld, gSeq, gState, gTurn, gCount, gResult, gStatus, gAi, updatedAt,
    eGame, eSeq, eKind, eData, mGame, mNum, mSeq, mSeat, mPlayer, mMove, mReason,
    iPlayer, iKey, iGame, iResp, iFp, lGame, lData, marks,
    ratings.playerId, ratings.type, ratings.rating, ratings.rd, ratings.vol, ratings.games, ratings.wins, ratings.losses, ratings.draws,
    gClock, gFlag, gMover, gVersion, heldLobby.map((h) => JSON.stringify(h.data)),
    gStateSeq, gChanged, gOffers, gRematch, dGame, dKeep, iRoute, gRatingChanges,
  ]);
  const applied = new Set<string>();
  const events: CommittedEvent[] = [];
  for (const r of rows) {
    // The games whose check passed, events or not (an offer already standing writes none).
    if (r.id === null) applied.add(r.topic.slice(5));
    else if (r.topic === LOBBY_TOPIC) {
      events.push(committedEvent(r.id, r.topic, 0, r.kind, lobbyData.get(r.lobby_game!), new Date(r.at)));
    } else {
      applied.add(r.topic.slice(5));
      events.push(committedEvent(r.id, r.topic, r.seq, r.kind, data.get(`${r.topic}\n${r.seq}`), new Date(r.at)));
    }
  }
  return { applied, events };
}
