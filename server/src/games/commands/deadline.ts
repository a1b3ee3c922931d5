import type { GameResult } from '@monkeytown/shared';
import { ApiError } from '@monkeytown/shared';
import { deadlineResult } from '../clock/deadline.js';
import { Draft } from './draft.js';
import type { CommandDef, CommandOf } from './types.js';

/**
 * The game's deadline (games.flag_at) passed by `at` with nothing ending or moving it
 * meanwhile: a flag (`timeout`), an idle untimed game or an open seat nobody took
 * (`abandoned`), through the same finish as a resignation. Refused `not_found` when the
 * game moved on (its deadline is later now) or is finished.
 */
export const deadline: CommandDef<CommandOf<'deadline'>, undefined, GameResult> = {
  lifecycle: () => 'deadline',
  actor: 'system',
  batched: false,
  plan(row, c, { now, clocks }) {
    const result = row.flag_at && row.flag_at.getTime() <= c.at.getTime() ? deadlineResult(row) : null;
    if (!result) throw new ApiError('not_found', 'no deadline of this game has passed');
    const d = new Draft(row, now, clocks);
    d.finish(result);
    return d.done(() => result);
  },
};
