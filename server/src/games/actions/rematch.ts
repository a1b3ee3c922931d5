import { randomUUID } from 'node:crypto';
import type { CreateGameBody, GameSnapshot } from '@monkeytown/shared';
import type { GameTx } from '../game-tx.js';
import { createGame } from '../open.js';
import { toSnapshot, type GameRow } from '../snapshot.js';
import { saveOffers, other } from './context.js';

/**
 * Starts the rematch of a finished game: ONE new game with both seats taken and the
 * colours swapped, same type, clock and rated flag. It runs inside the old game's
 * transaction, under its row lock, and stores `rematch_id` there: two requests (two
 * replicas, both players pressing at once) are serialised by the lock, and the second
 * finds the rematch already made instead of making another. The new game's events go
 * out with the old game's after COMMIT (GameTx.events).
 */
export async function startRematch(g: GameTx, bySeat: 0 | 1): Promise<{ row: GameRow; snapshot: GameSnapshot }> {
  const r = g.row;
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
  const id = randomUUID();
  const written = await createGame(g.q, id, meId, body, oppAgent ? undefined : oppId);
  g.events.push(...written.events);
  await saveOffers(g, null, id);
  await g.emit('rematch', { gameId: id });
  return { row: written.row, snapshot: toSnapshot(written.row) };
}
