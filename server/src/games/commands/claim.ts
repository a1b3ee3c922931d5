import type { GameSnapshot } from '@monkeytown/shared';
import { ApiError } from '@monkeytown/shared';
import type { PlayerStanding } from '../../bus/types.js';
import { tokenVersionOf } from '../../players/identity.js';
import { liveRules } from './live-rules.js';
import { Draft, gameOnly, kindOf, other } from './draft.js';
import type { CommandDef, CommandOf } from './types.js';

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

interface ClaimInputs {
  /** The opponent's standing on the game (none: never seen), and their token version. */
  standing: PlayerStanding | undefined;
  tokenVersion: number | null;
}

const opponentOf = (row: Parameters<typeof kindOf>[0], seat: 0 | 1) => {
  const opp = other(seat);
  return { opp, id: (opp === 0 ? row.player0_id : row.player1_id)! };
};

/**
 * Claim: the opponent has had no event stream open on the game for claimAfterSeconds →
 * `{reason:'left', winner: claimer | null}` (the claimer chooses the win or a draw).
 * An opponent never seen on the game counts as gone since the game's last state change
 * (its updated_at): a player who joined and never opened the game is not claimable at once.
 * Agents never leave. The opponent's presence is read in the claim's transaction, by id:
 * no crowd of watchers can hide them.
 */
export const claim: CommandDef<CommandOf<'claim'>, ClaimInputs, { game: GameSnapshot }> = {
  lifecycle: () => 'claim',
  actor: 'player',
  expectedSeq: (c) => c.body.expectedSeq,
  idempotent: { route: 'claim', body: (c) => c.body },
  batched: false,
  async inputs(q, row, c, { seat }) {
    const { opp, id } = opponentOf(row, seat!);
    if (kindOf(row, opp) === 'agent') return { standing: undefined, tokenVersion: null };
    const [standing] = await c.lookup([id]).catch(() => {
      throw new ApiError('unavailable', 'player presence is unavailable right now; retry shortly');
    });
    return { standing, tokenVersion: await tokenVersionOf(q, id) };
  },
  plan(row, c, { seat, now, clocks, inputs }) {
    const { opp } = opponentOf(row, seat!);
    if (kindOf(row, opp) === 'agent') throw new ApiError('not_claimable', 'an agent never leaves the game');
    const since = goneSince(inputs.standing, inputs.tokenVersion, row.updated_at.getTime());
    if (since === null) throw new ApiError('not_claimable', 'your opponent is still here');
    const waitMs = since + liveRules.claimAfterSeconds * 1000 - now.getTime();
    if (waitMs > 0) {
      const retryAfter = Math.ceil(waitMs / 1000);
      throw new ApiError('not_claimable', `your opponent left; you may claim in ${retryAfter} s`, { retryAfter });
    }
    const d = new Draft(row, now, clocks);
    d.finish({ winner: c.body.outcome === 'win' ? seat! : null, reason: 'left' });
    return d.done(gameOnly);
  },
};
