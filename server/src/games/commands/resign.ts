import type { GameResult, GameSnapshot } from '@monkeytown/shared';
import { Draft } from './draft.js';
import type { CommandDef, CommandOf } from './types.js';

/** Resign: the opponent wins. Leaving an open game nobody joined cancels it (no winner, nothing rated). */
export const resign: CommandDef<CommandOf<'resign'>, undefined, GameSnapshot> = {
  lifecycle: () => 'resign',
  actor: 'player',
  batched: false,
  plan(row, _c, { seat, now, clocks }) {
    const d = new Draft(row, now, clocks);
    const result: GameResult = row.status === 'open' ? { winner: null, reason: 'abandoned' } : { winner: seat === 0 ? 1 : 0, reason: 'resign' };
    d.finish(result);
    return d.done((game) => game);
  },
};
