import glicko2 from 'glicko2';
import type { Queryable } from '../db/index.js';

export const GLICKO_DEFAULTS = { tau: 0.5, rating: 1500, rd: 350, vol: 0.06 };

interface RatingRow {
  player_id: string;
  rating: number;
  rd: number;
  vol: number;
}

/** Makes sure a player has a rating row for a game type (new players start at the defaults). */
export async function ensureRating(q: Queryable, playerId: string, type: string): Promise<void> {
  await q.query('INSERT INTO ratings (player_id, game_type) VALUES ($1, $2) ON CONFLICT DO NOTHING', [playerId, type]);
}

export interface RatingChange {
  seat: 0 | 1;
  playerId: string;
  before: number;
  after: number;
}

/**
 * Glicko-2 update for one finished rated game (a rating period of one game, as
 * online servers do), inside the move's transaction. Rows are locked in player-id
 * order so two games finishing against the same agent cannot deadlock.
 */
export async function rateGame(
  q: Queryable,
  type: string,
  players: [string, string],
  winner: 0 | 1 | null,
): Promise<RatingChange[]> {
  for (const p of players) await ensureRating(q, p, type);
  const { rows } = await q.query<RatingRow>(
    `SELECT player_id, rating, rd, vol FROM ratings WHERE game_type = $1 AND player_id = ANY($2::uuid[])
     ORDER BY player_id FOR UPDATE`,
    [type, players],
  );
  const byId = new Map(rows.map((r) => [r.player_id, r]));
  const r0 = byId.get(players[0])!;
  const r1 = byId.get(players[1])!;
  const ranking = new glicko2.Glicko2(GLICKO_DEFAULTS);
  const a = ranking.makePlayer(r0.rating, r0.rd, r0.vol);
  const b = ranking.makePlayer(r1.rating, r1.rd, r1.vol);
  ranking.updateRatings([[a, b, winner === 0 ? 1 : winner === 1 ? 0 : 0.5]]);

  const changes: RatingChange[] = [];
  for (const [seat, row, gp] of [[0, r0, a], [1, r1, b]] as const) {
    const outcome = winner === null ? 'draws' : winner === seat ? 'wins' : 'losses';
    await q.query(
      `UPDATE ratings SET rating = $3, rd = $4, vol = $5, games = games + 1, ${outcome} = ${outcome} + 1, updated_at = now()
       WHERE player_id = $1 AND game_type = $2`,
      [row.player_id, type, gp.getRating(), gp.getRd(), gp.getVol()],
    );
    changes.push({ seat, playerId: row.player_id, before: Math.round(row.rating), after: Math.round(gp.getRating()) });
  }
  return changes;
}
