import type { AgentId, GameSnapshot, Seat } from '@monkeytown/shared';
import type { ReviewInput } from '@monkeytown/shared/ai';
import type { Queryable } from '../db/index.js';

/** What a review worker needs of a finished game: its final state, its moves in order, its players. */
export async function reviewInput(db: Queryable, game: GameSnapshot): Promise<ReviewInput> {
  // The stored engine state, not the snapshot's public view (chess keeps its start FEN there).
  const [{ rows }, stored] = await Promise.all([
    db.query<{ move: unknown }>('SELECT move FROM moves WHERE game_id = $1 ORDER BY move_number', [game.id]),
    db.query<{ state: unknown }>('SELECT state FROM games WHERE id = $1', [game.id]),
  ]);
  const seat = (s: Seat) => game.players.find((p) => p.seat === s);
  const agent = (s: Seat): AgentId | null => seat(s)?.agentId ?? null;
  return {
    type: game.type,
    final: stored.rows[0]?.state ?? game.state,
    moves: rows.map((r) => r.move),
    agents: [agent(0), agent(1)],
    names: [seat(0)?.name ?? 'Seat 1', seat(1)?.name ?? 'Seat 2'],
    // An aborted or abandoned game ended undecided: no side won it on the board.
    winner: game.result && !['aborted', 'abandoned'].includes(game.result.reason) ? game.result.winner : undefined,
  };
}
