import { engineFor } from '@monkeytown/shared';
import { ApiError } from '@monkeytown/shared';
import type { GameTx } from '../game-tx.js';

interface MoveRow {
  move_number: number;
  seat: 0 | 1;
  move: unknown;
}

/**
 * Takes back `seat`'s last move (and the opponent's reply after it, if any), so it is
 * `seat`'s turn again: the position is rebuilt by replaying the stored moves that stay
 * through the engine from the start (every engine's state — chess's repetition history
 * included — comes out exactly as play left it), the undone plies' move rows are deleted
 * and a `takeback` event carries the new position. Clocks are not refunded.
 */
export async function takeBack(g: GameTx, seat: 0 | 1): Promise<number> {
  const r = g.row;
  const engine = engineFor(r.type)!;
  const { rows } = await g.q.query<MoveRow>(
    'SELECT move_number, seat, move FROM moves WHERE game_id = $1 AND move_number <= $2 ORDER BY move_number',
    [r.id, r.move_count],
  );
  const last = rows.map((m) => Number(m.seat)).lastIndexOf(seat);
  if (last < 0) throw new ApiError('conflict', 'you have no move to take back');
  const keep = rows.slice(0, last);
  const plies = rows.length - last;
  let state = engine.initialState();
  for (const m of keep) state = engine.apply(state, m.move);
  await g.q.query('DELETE FROM moves WHERE game_id = $1 AND move_number > $2', [r.id, keep.length]);
  r.state = state;
  r.move_count = keep.length;
  r.turn = engine.turn(state);
  // The clocks go to the side now to move (nothing refunded): the event says so.
  const clockState = g.clockState();
  await g.emit('takeback', {
    plies: Math.min(plies, 2), state: engine.publicView(state), turn: r.turn, moveCount: r.move_count,
    ...(clockState ? { clockState } : {}),
  }, { state: true });
  return plies;
}

/** True when `seat` has a move on the board that a takeback could undo. */
export async function hasMove(g: GameTx, seat: 0 | 1): Promise<boolean> {
  const { rows } = await g.q.query('SELECT 1 FROM moves WHERE game_id = $1 AND seat = $2 AND move_number <= $3 LIMIT 1',
    [g.row.id, seat, g.row.move_count]);
  return rows.length > 0;
}
