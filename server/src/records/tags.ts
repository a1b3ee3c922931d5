import type { GameSnapshot, RecordTags, Seat } from '@monkeytown/shared';
import type { Queryable } from '../db/index.js';

/**
 * Everything a game's record says besides its moves (PGN headers and comments): who
 * played at what rating, when it started, how it ended, its time control, its address,
 * and the monkeys' reasons by ply. Read from the game and its moves/events rows; the
 * engine's `record` hook writes them out (chess: PGN, packages/shared games/pgn-tags.ts).
 */
export async function recordTags(db: Queryable, game: GameSnapshot, siteUrl: string): Promise<RecordTags> {
  const [moves, joined] = await Promise.all([
    db.query<{ move_number: number; reason: string | null }>(
      'SELECT move_number, reason FROM moves WHERE game_id = $1 AND reason IS NOT NULL ORDER BY move_number',
      [game.id],
    ),
    // An open seat: the game starts when it is taken, not when it was offered.
    db.query<{ at: Date }>(`SELECT at FROM events WHERE game_id = $1 AND kind = 'player.joined' ORDER BY seq LIMIT 1`, [game.id]),
  ]);
  const comments: (string | null)[] = Array.from({ length: game.moveCount }, () => null);
  for (const m of moves.rows) if (m.move_number >= 1 && m.move_number <= game.moveCount) comments[m.move_number - 1] = m.reason;
  const seat = (s: Seat) => game.players.find((p) => p.seat === s);
  // The rating each side brought to the game: a rated game stored it when it ended;
  // otherwise the one stored now is the best there is.
  const rating = (s: Seat) => game.ratingChanges?.find((c) => c.seat === s)?.before ?? seat(s)?.rating ?? null;
  return {
    players: [seat(0)?.name ?? '?', seat(1)?.name ?? '?'],
    date: new Date(joined.rows[0]?.at ?? game.createdAt),
    site: 'Monkeytown',
    url: `${siteUrl.replace(/\/+$/, '')}/games/${game.id}`,
    event: game.rated ? 'Monkeytown rated game' : 'Monkeytown casual game',
    result: game.result,
    clock: game.clock,
    ratings: [rating(0), rating(1)],
    comments,
  };
}
