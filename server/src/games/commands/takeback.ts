import { engineFor, type CreateGameBody } from '@monkeytown/shared';
import { ApiError } from '@monkeytown/shared';
import type { Queryable } from '../../db/index.js';
import type { StoredOffers } from './offers-state.js';
import { Draft, other } from './draft.js';

/** A stored move, as a takeback replays it. */
export interface MoveRow {
  move_number: number;
  seat: 0 | 1;
  move: unknown;
}

/** The game's stored moves in order (a takeback's input). */
export async function movesOf(q: Queryable, gameId: string): Promise<MoveRow[]> {
  const { rows } = await q.query<MoveRow>('SELECT move_number, seat, move FROM moves WHERE game_id = $1 ORDER BY move_number', [gameId]);
  return rows.map((m) => ({ ...m, seat: Number(m.seat) as 0 | 1 }));
}

/** The moves on the board now (a takeback deletes the rows of the moves it undoes). */
const onBoard = (d: Draft, moves: readonly MoveRow[]) => moves.filter((m) => m.move_number <= d.before.move_count);

/** True when `seat` has a move on the board that a takeback could undo. */
export const hasMove = (d: Draft, moves: readonly MoveRow[], seat: 0 | 1): boolean => onBoard(d, moves).some((m) => m.seat === seat);

/**
 * Takes back `seat`'s last move (and the opponent's reply after it, if any), so it is
 * `seat`'s turn again: the position is rebuilt by replaying the stored moves that stay
 * through the engine from the start (every engine's state — chess's repetition history
 * included — comes out exactly as play left it), the undone plies' move rows are deleted
 * by the write and a `takeback` event carries the new position. Clocks are not refunded.
 */
export function takeBack(d: Draft, moves: readonly MoveRow[], seat: 0 | 1): void {
  const r = d.after;
  const engine = engineFor(r.type)!;
  const rows = onBoard(d, moves);
  const last = rows.map((m) => m.seat).lastIndexOf(seat);
  if (last < 0) throw new ApiError('conflict', 'you have no move to take back');
  const keep = rows.slice(0, last);
  const plies = rows.length - last;
  let state = engine.initialState();
  for (const m of keep) state = engine.apply(state, m.move);
  d.keepMoves = keep.length;
  r.state = state;
  r.move_count = keep.length;
  r.turn = engine.turn(state);
  // The clocks go to the side now to move (nothing refunded): the event says so.
  const clockState = d.clockState();
  d.emit('takeback', {
    plies: Math.min(plies, 2), state: engine.publicView(state), turn: r.turn, moveCount: r.move_count,
    ...(clockState ? { clockState } : {}),
  }, { state: true });
}

/** Sets the offers column (and the rematch game) the write stores with the row. */
export function saveOffers(d: Draft, offers: StoredOffers | null, rematchId?: string): void {
  const empty = !offers || Object.keys(offers).length === 0;
  d.after.offers = empty ? null : offers;
  if (rematchId) d.after.rematch_id = rematchId;
}

/**
 * Starts the rematch of a finished game: ONE new game (id `id`) with both seats taken and
 * the colours swapped, same type, clock and rated flag, created by the write in the same
 * transaction as this game's `rematch_id`: two requests (two replicas, both players
 * pressing at once) are serialised by the row lock, and the second finds the rematch
 * already made instead of making another.
 */
export function startRematch(d: Draft, bySeat: 0 | 1, id: string): void {
  const r = d.before;
  const meId = (bySeat === 0 ? r.player0_id : r.player1_id)!;
  const oppSeat = other(bySeat);
  const oppAgent = oppSeat === 0 ? r.p0_agent : r.p1_agent;
  const oppId = (oppSeat === 0 ? r.player0_id : r.player1_id)!;
  const body: CreateGameBody = {
    type: r.type as CreateGameBody['type'],
    rated: r.rated,
    seat: oppSeat, // colours swapped: I take the seat my opponent had
    opponent: oppAgent ? { kind: 'agent', agentId: oppAgent as never } : { kind: 'open' },
    ...(r.clock ? { clock: r.clock } : {}),
  };
  d.rematch = { id, playerId: meId, body, opponentId: oppAgent ? undefined : oppId };
  saveOffers(d, null, id);
  d.emit('rematch', { gameId: id });
}
