import type { ClaimBody, GameSnapshot } from '@monkeytown/shared';
import type { PlayerPresence } from '../../bus/types.js';
import { ApiError } from '../../http/errors.js';
import { liveRules } from './rules.js';
import { kindOf, other, type ActionCtx } from './context.js';

/**
 * Claim: the opponent has had no event stream open on the game for claimAfterSeconds →
 * `{reason:'left', winner: claimer | null}` (the claimer chooses the win or a draw).
 * An opponent never seen on the game counts as gone since the game's last state change
 * (its updated_at): a player who joined and never opened the game is not claimable at once.
 * Agents never leave.
 */
export async function claimGame(
  { g, seat, finish }: ActionCtx, body: ClaimBody, presence: readonly PlayerPresence[], now = Date.now(),
): Promise<{ game: GameSnapshot }> {
  const r = g.row;
  if (r.status === 'finished') throw new ApiError('game_over', 'the game is over');
  if (r.status !== 'active') throw new ApiError('not_claimable', 'the game has not started');
  const opp = other(seat);
  if (kindOf(g, opp) === 'agent') throw new ApiError('not_claimable', 'an agent never leaves the game');
  const oppId = opp === 0 ? r.player0_id : r.player1_id;
  const seen = presence.find((p) => p.playerId === oppId);
  if (seen?.online) throw new ApiError('not_claimable', 'your opponent is still here');
  const since = seen ? Date.parse(seen.since) : r.updated_at.getTime();
  const waitMs = since + liveRules.claimAfterSeconds * 1000 - now;
  if (waitMs > 0) {
    const retryAfter = Math.ceil(waitMs / 1000);
    throw new ApiError('not_claimable', `your opponent left; you may claim in ${retryAfter} s`, { retryAfter });
  }
  r.status = 'finished';
  r.result = { winner: body.outcome === 'win' ? seat : null, reason: 'left' };
  await finish(r.result);
  return { game: await g.commit() };
}
