import { randomUUID } from 'node:crypto';
import { SUPPORTED_GAME_TYPES, type Agent, type AgentId, type GameType, type LeaderboardResponse, type Player, type PlayerProfile, type Rating } from '@monkeytown/shared';
import { TROOP, TROOP_RATINGS } from '@monkeytown/shared/ai';
import type { Db, Queryable } from '../db/index.js';
import { recentGamesOf } from '../games/queries.js';
import { isProvisional, PROVISIONAL_RD } from '../games/ratings.js';
import { agentEmoji } from '../games/snapshot.js';
import { createGuest } from './identity.js';
import { toPlayer, type PlayerRow } from './rows.js';

interface RatingRow {
  player_id: string;
  game_type: string;
  rating: number;
  rd: number;
  games: number;
  wins: number;
  losses: number;
  draws: number;
}

const toRating = (r: RatingRow): Rating => ({
  type: r.game_type as Rating['type'],
  rating: Math.round(r.rating),
  deviation: Math.round(r.rd),
  provisional: isProvisional(r.rd),
  games: r.games,
  wins: r.wins,
  losses: r.losses,
  draws: r.draws,
});

/**
 * An agent's starting rating in a game: its measured strength there (each game's troop
 * `ratings`, from bench/ai/calibrate.ts), so a monkey's rating tells the truth from its first game.
 */
export const agentPriorRating = (agentId: AgentId, type: GameType) => TROOP_RATINGS[type][agentId];

/**
 * Agents start established (RD ≤ 110, not provisional): they are fixed-strength anchors
 * that play many games, so their ratings should move slowly, and the leaderboard lists
 * the troop from day one. Migration 007 set the same RD on rows seeded before.
 */
export const AGENT_PRIOR_RD = 100;

/**
 * Agents play as players with ratings. Seeded at every start (idempotent): a new
 * agent appears, existing ones keep their id. A rating that has not played yet follows
 * the measured seed when it changes (a new calibration); once an agent has rated games,
 * those games speak and the seed no longer moves it.
 */
export async function seedAgents(db: Db): Promise<void> {
  for (const a of TROOP) agentEmoji.set(a.id, a.emoji);
  await db.transaction(async (tx) => {
    for (const a of TROOP) {
      await tx.query(
        `INSERT INTO players (id, name, kind, agent_id) VALUES ($1, $2, 'agent', $3)
         ON CONFLICT (agent_id) DO UPDATE SET name = EXCLUDED.name`,
        [randomUUID(), a.name, a.id],
      );
      for (const type of SUPPORTED_GAME_TYPES) {
        await tx.query(
          `INSERT INTO ratings (player_id, game_type, rating, rd)
           SELECT id, $2, $3, $4 FROM players WHERE agent_id = $1
           ON CONFLICT (player_id, game_type) DO UPDATE SET rating = EXCLUDED.rating
           WHERE ratings.games = 0 AND ratings.rating <> EXCLUDED.rating`,
          [a.id, type, agentPriorRating(a.id, type), AGENT_PRIOR_RD],
        );
      }
    }
  });
}

/** A new guest: its name checked against the troop and shown with a tag when a recent guest has it. */
export const createPlayer = (q: Queryable, name: string): Promise<Player> => createGuest(q, randomUUID(), name);

export async function findPlayer(q: Queryable, id: string): Promise<Player | null> {
  const { rows } = await q.query<PlayerRow>('SELECT id, name, kind, agent_id, created_at FROM players WHERE id = $1', [id]);
  return rows[0] ? toPlayer(rows[0]) : null;
}

async function ratingsOf(q: Queryable, ids: string[]): Promise<Map<string, Rating[]>> {
  const { rows } = await q.query<RatingRow>(
    `SELECT player_id, game_type, rating, rd, games, wins, losses, draws FROM ratings
     WHERE player_id = ANY($1::uuid[]) ORDER BY game_type`,
    [ids],
  );
  const out = new Map<string, Rating[]>();
  for (const r of rows) out.set(r.player_id, [...(out.get(r.player_id) ?? []), toRating(r)]);
  return out;
}

export async function playerProfile(q: Queryable, id: string): Promise<PlayerProfile | null> {
  const player = await findPlayer(q, id);
  if (!player) return null;
  const ratings = (await ratingsOf(q, [id])).get(id) ?? [];
  return { player, ratings, recentGames: await recentGamesOf(q, id) };
}

export async function listAgents(q: Queryable): Promise<Agent[]> {
  const { rows } = await q.query<{ id: string; agent_id: string; games: number }>(
    `SELECT p.id, p.agent_id,
       (SELECT count(*)::int FROM games g WHERE g.player0_id = p.id OR g.player1_id = p.id) AS games
     FROM players p WHERE p.kind = 'agent'`,
  );
  const byAgent = new Map(rows.map((r) => [r.agent_id, r]));
  const ratings = await ratingsOf(q, rows.map((r) => r.id));
  return TROOP.flatMap((a) => {
    const row = byAgent.get(a.id);
    if (!row) return [];
    return [{
      id: a.id, playerId: row.id, name: a.name, emoji: a.emoji, style: a.style, description: a.description,
      strength: a.strength, ratings: ratings.get(row.id) ?? [], games: row.games,
    }];
  });
}

/**
 * Established ratings only (RD ≤ 110): a provisional player is not on the board at all,
 * so ranks count established players alone (1, 2, 3 … with no gaps) and a newcomer
 * with one lucky game cannot rank above people with a known rating. (The bound is a
 * literal so the partial index of migration 007 serves the query.)
 */
export async function leaderboard(q: Queryable, type: string, limit: number): Promise<LeaderboardResponse> {
  const { rows } = await q.query<PlayerRow & RatingRow>(
    `SELECT p.id, p.name, p.kind, p.agent_id, p.created_at,
       r.player_id, r.game_type, r.rating, r.rd, r.games, r.wins, r.losses, r.draws
     FROM ratings r JOIN players p ON p.id = r.player_id
     WHERE r.game_type = $1 AND r.rd <= ${PROVISIONAL_RD}
     ORDER BY r.rating DESC, p.id LIMIT $2`,
    [type, limit],
  );
  return {
    type: type as LeaderboardResponse['type'],
    entries: rows.map((r, i) => {
      const emoji = r.agent_id ? agentEmoji.get(r.agent_id) : undefined;
      return { rank: i + 1, player: toPlayer(r), ...(emoji ? { emoji } : {}), rating: toRating(r) };
    }),
  };
}
