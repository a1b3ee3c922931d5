import glicko2 from 'glicko2';
import type { GameResult, Seat } from '@monkeytown/shared';
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
 * (every command that ends a game: commands/draft.ts finish, commands/move.ts).
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
