import type { RatingChange } from '@monkeytown/shared';
import type { Queryable } from '../../db/index.js';
import { GLICKO_DEFAULTS, glickoGame, tally } from '../ratings.js';
import type { CommandPlan } from '../commands/types.js';

interface RatingRow {
  player_id: string;
  game_type: string;
  rating: number;
  rd: number;
  vol: number;
}

interface Delta extends RatingRow {
  games: number;
  wins: number;
  losses: number;
  draws: number;
}

/** Parameters of the ratings upsert in pipeline/write.ts (one row per player and game type). */
export interface RatingWrites {
  playerId: string[];
  type: string[];
  rating: number[];
  rd: number[];
  vol: number[];
  games: number[];
  wins: number[];
  losses: number[];
  draws: number[];
}

export const noRatings = (): RatingWrites =>
  ({ playerId: [], type: [], rating: [], rd: [], vol: [], games: [], wins: [], losses: [], draws: [] });

/**
 * Glicko-2 for every rated game a batch ends, inside the write's transaction: the
 * players' rows are locked in one statement (player-id order, so batches cannot
 * deadlock), the games are rated one after another in memory (an agent finishing two
 * games in one batch is rated twice, as two transactions would have done), and each
 * plan gets its `game.over` event with the changes and the new ratings in its row.
 * The changes are stored on the games (games.rating_changes) by the write statement
 * itself (pipeline/write.ts), in the same transaction: one round trip fewer than a
 * statement of their own, and one row version fewer per rated ending. Which games are
 * rated is `ratable` (ratings.ts), asked by plan.ts.
 */
export async function rateBatch(q: Queryable, plans: CommandPlan[]): Promise<RatingWrites> {
  const keys = [...new Set(plans.flatMap((p) => [p.after.player0_id!, p.after.player1_id!].map((id) => `${id}\n${p.after.type}`)))];
  const { rows } = await q.query<RatingRow>(
    `SELECT r.player_id, r.game_type, r.rating, r.rd, r.vol FROM ratings r
     JOIN unnest($1::uuid[], $2::text[]) AS k(player_id, game_type) ON r.player_id = k.player_id AND r.game_type = k.game_type
     ORDER BY r.player_id, r.game_type FOR UPDATE OF r`,
    [keys.map((k) => k.split('\n')[0]), keys.map((k) => k.split('\n')[1])],
  );
  const state = new Map<string, Delta>();
  for (const k of keys) {
    const [player_id, game_type] = k.split('\n') as [string, string];
    const r = rows.find((x) => x.player_id === player_id && x.game_type === game_type);
    state.set(k, { player_id, game_type, rating: r?.rating ?? GLICKO_DEFAULTS.rating, rd: r?.rd ?? GLICKO_DEFAULTS.rd,
      vol: r?.vol ?? GLICKO_DEFAULTS.vol, games: 0, wins: 0, losses: 0, draws: 0 });
  }
  for (const plan of plans) {
    const a = plan.after;
    const winner = plan.result!.winner;
    const seats = [state.get(`${a.player0_id}\n${a.type}`)!, state.get(`${a.player1_id}\n${a.type}`)!] as const;
    const after = glickoGame(seats[0], seats[1], winner);
    const changes: RatingChange[] = seats.map((s, seat) => {
      const before = Math.round(s.rating);
      Object.assign(s, after[seat]);
      s.games += 1;
      s[tally(winner, seat as 0 | 1)] += 1;
      return { seat: seat as 0 | 1, playerId: s.player_id, before, after: Math.round(s.rating) };
    });
    a.p0_rating = seats[0].rating;
    a.p1_rating = seats[1].rating;
    a.p0_rd = seats[0].rd;
    a.p1_rd = seats[1].rd;
    a.rating_changes = changes;
    a.seq += 1;
    a.state_seq = a.seq;
    plan.events.push({ seq: a.seq, kind: 'game.over', data: { result: plan.result!, ratings: changes, ...(a.clock_state ? { clockState: a.clock_state } : {}) } });
  }
  const w = noRatings();
  for (const d of state.values()) {
    w.playerId.push(d.player_id); w.type.push(d.game_type); w.rating.push(d.rating); w.rd.push(d.rd); w.vol.push(d.vol);
    w.games.push(d.games); w.wins.push(d.wins); w.losses.push(d.losses); w.draws.push(d.draws);
  }
  return w;
}
