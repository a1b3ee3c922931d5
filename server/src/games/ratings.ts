import glicko2 from 'glicko2';
import type { GameResult, RatingChange, Seat } from '@monkeytown/shared';
import type { Queryable } from '../db/index.js';
import type { GameRow } from './snapshot.js';

/**
 * Glicko-2 as the `glicko2` package computes it: system constant tau 0.5, new players
 * at 1500 / RD 350 / volatility 0.06, and every game its own rating period (online
 * servers rate game by game; nothing decays between games). See docs/api.md "Ratings".
 */
export const GLICKO_DEFAULTS = { tau: 0.5, rating: 1500, rd: 350, vol: 0.06 };

/** lichess's rule: a rating whose deviation is above 110 is provisional ("1520?"), kept off the leaderboard. */
export const PROVISIONAL_RD = 110;

export const isProvisional = (rd: number | null | undefined): boolean => (rd ?? GLICKO_DEFAULTS.rd) > PROVISIONAL_RD;

/** A game is rated only when both sides moved: fewer moves than this and nothing changes. */
export const MIN_RATED_MOVES = 2;

/** Endings that never move ratings, however far the game went (an expired idle game, an abort). */
const UNRATED_REASONS: ReadonlySet<GameResult['reason']> = new Set(['abandoned', 'aborted']);

/**
 * Whether a finished game moves ratings: created rated, two players, both sides moved,
 * and not an ending that rates nobody. Every finishing path asks this one question
 * (GameService.finishGame, the move path's plan, the clock and offer commands).
 */
export function ratable(row: Pick<GameRow, 'rated' | 'player0_id' | 'player1_id' | 'move_count'>, result: GameResult): boolean {
  return Boolean(row.rated && row.player0_id && row.player1_id) && row.move_count >= MIN_RATED_MOVES &&
    !UNRATED_REASONS.has(result.reason);
}

export interface Glicko {
  rating: number;
  rd: number;
  vol: number;
}

/** One game between seat 0 and seat 1 as its own rating period: both players' new values. */
export function glickoGame(p0: Glicko, p1: Glicko, winner: Seat | null): [Glicko, Glicko] {
  const ranking = new glicko2.Glicko2(GLICKO_DEFAULTS);
  const a = ranking.makePlayer(p0.rating, p0.rd, p0.vol);
  const b = ranking.makePlayer(p1.rating, p1.rd, p1.vol);
  ranking.updateRatings([[a, b, winner === 0 ? 1 : winner === 1 ? 0 : 0.5]]);
  const out = (p: typeof a): Glicko => ({ rating: p.getRating(), rd: p.getRd(), vol: p.getVol() });
  return [out(a), out(b)];
}

/** What a player's rating row gains from one game: the wins/losses/draws column to bump. */
export const tally = (winner: Seat | null, seat: Seat): 'wins' | 'losses' | 'draws' =>
  winner === null ? 'draws' : winner === seat ? 'wins' : 'losses';

/**
 * Stores each rated game's changes on its row (games.rating_changes), its own statement
 * in the finishing transaction, so snapshots, lobby rows and player pages show them.
 */
export async function storeRatingChanges(q: Queryable, games: { id: string; changes: RatingChange[] }[]): Promise<void> {
  if (!games.length) return;
  await q.query(
    `UPDATE games SET rating_changes = c.changes::jsonb FROM unnest($1::uuid[], $2::text[]) AS c(id, changes) WHERE games.id = c.id`,
    [games.map((g) => g.id), games.map((g) => JSON.stringify(g.changes))],
  );
}

interface RatingRow extends Glicko {
  player_id: string;
}

/**
 * Rates a finished game inside its transaction (the non-batched finishes: resign, and
 * whatever else ends a game on a row locked FOR UPDATE) when `ratable` says so: the
 * two rows are locked in player-id order (two games finishing against the same agent
 * cannot deadlock), updated, and the changes stored on the game. Returns the changes
 * for the game.over event, or undefined when the game is unrated.
 */
export async function rateResult(q: Queryable, row: GameRow, result: GameResult): Promise<RatingChange[] | undefined> {
  if (!ratable(row, result)) return undefined;
  const players = [row.player0_id!, row.player1_id!];
  await q.query(
    'INSERT INTO ratings (player_id, game_type) SELECT unnest($1::uuid[]), $2 ON CONFLICT DO NOTHING',
    [players, row.type],
  );
  const { rows } = await q.query<RatingRow>(
    `SELECT player_id, rating, rd, vol FROM ratings WHERE game_type = $1 AND player_id = ANY($2::uuid[])
     ORDER BY player_id FOR UPDATE`,
    [row.type, players],
  );
  const seats = players.map((id) => rows.find((r) => r.player_id === id)!) as [RatingRow, RatingRow];
  const after = glickoGame(seats[0], seats[1], result.winner);
  const changes: RatingChange[] = [];
  for (const seat of [0, 1] as const) {
    const col = tally(result.winner, seat);
    const g = after[seat];
    await q.query(
      `UPDATE ratings SET rating = $3, rd = $4, vol = $5, games = games + 1, ${col} = ${col} + 1, updated_at = now()
       WHERE player_id = $1 AND game_type = $2`,
      [players[seat], row.type, g.rating, g.rd, g.vol],
    );
    changes.push({ seat, playerId: players[seat]!, before: Math.round(seats[seat].rating), after: Math.round(g.rating) });
  }
  await storeRatingChanges(q, [{ id: row.id, changes }]);
  return changes;
}
