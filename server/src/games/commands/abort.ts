import type { GameSnapshot } from '@monkeytown/shared';
import { ApiError } from '@monkeytown/shared';
import { Draft, gameOnly } from './draft.js';
import type { CommandDef, CommandOf } from './types.js';

/**
 * Abort: a game that has not had two moves yet (so both sides have not both moved) ends
 * `{reason:'aborted', winner:null}`, never rated. An open game nobody joined may be
 * aborted too (like cancelling it with resign).
 */
export const abort: CommandDef<CommandOf<'abort'>, undefined, { game: GameSnapshot }> = {
  lifecycle: () => 'abort',
  actor: 'player',
  expectedSeq: (c) => c.body.expectedSeq,
  idempotent: { route: 'abort', body: (c) => c.body },
  batched: false,
  plan(row, _c, { now, clocks }) {
    if (row.move_count >= 2) throw new ApiError('not_abortable', 'both sides have moved: resign or offer a draw instead');
    const d = new Draft(row, now, clocks);
    d.finish({ winner: null, reason: 'aborted' });
    return d.done(gameOnly);
  },
};
