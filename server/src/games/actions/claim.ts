import type { ClaimBody, GameSnapshot } from '@monkeytown/shared';
import type { PlayerStanding } from '../../bus/types.js';
import { ApiError } from '@monkeytown/shared';
import { tokenVersionOf } from '../../players/identity.js';
import { liveRules } from './rules.js';
import { kindOf, other, type ActionCtx } from './context.js';

/**
 * Where exactly these players stand on the game (bus.standing): looked up by id, so the
 * answer does not depend on how many others watch.
 */
export type StandingLookup = (playerIds: readonly string[]) => Promise<readonly PlayerStanding[]>;

/**
 * Since when (ms) the opponent has been gone, or null while they are here. Here: an
 * event stream open on a live event-stream replica with a token that is still theirs. A
 * stream whose token was signed out does not count (the event-stream closes those at
 * once; this covers an announcement that never arrived): the player signed out, and a
 * signed-out guest gets no token again, so they are gone since that stream opened.
 */
export function goneSince(standing: PlayerStanding | undefined, tokenVersion: number | null, fallback: number): number | null {
  if (!standing) return fallback;
  const since = Date.parse(standing.since);
  if (!standing.online) return since;
  const stale = tokenVersion !== null && standing.tokenVersion !== null && standing.tokenVersion < tokenVersion;
  return stale ? since : null;
}

/**
 * Claim: the opponent has had no event stream open on the game for claimAfterSeconds →
 * `{reason:'left', winner: claimer | null}` (the claimer chooses the win or a draw).
 * An opponent never seen on the game counts as gone since the game's last state change
 * (its updated_at): a player who joined and never opened the game is not claimable at once.
 * Agents never leave. The opponent's presence is read inside the game's transaction,
 * by id: no crowd of watchers can hide them.
 */
export async function claimGame(
  { g, seat, finish }: ActionCtx, body: ClaimBody, lookup: StandingLookup,
): Promise<{ game: GameSnapshot }> {
  const r = g.row;
  if (r.status === 'finished') throw new ApiError('game_over', 'the game is over');
  if (r.status !== 'active') throw new ApiError('not_claimable', 'the game has not started');
  const opp = other(seat);
  if (kindOf(g, opp) === 'agent') throw new ApiError('not_claimable', 'an agent never leaves the game');
  const oppId = (opp === 0 ? r.player0_id : r.player1_id)!;
  const [standing] = await lookup([oppId]).catch(() => {
    throw new ApiError('unavailable', 'player presence is unavailable right now; retry shortly');
  });
  const since = goneSince(standing, await tokenVersionOf(g.q, oppId), r.updated_at.getTime());
  if (since === null) throw new ApiError('not_claimable', 'your opponent is still here');
  const waitMs = since + liveRules.claimAfterSeconds * 1000 - Date.now();
  if (waitMs > 0) {
    const retryAfter = Math.ceil(waitMs / 1000);
    throw new ApiError('not_claimable', `your opponent left; you may claim in ${retryAfter} s`, { retryAfter });
  }
  r.status = 'finished';
  r.result = { winner: body.outcome === 'win' ? seat : null, reason: 'left' };
  await finish(r.result);
  return { game: await g.commit() };
}
