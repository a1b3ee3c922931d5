import type { GameSnapshot } from '@monkeytown/shared';
import { ApiError } from '@monkeytown/shared';
import type { ActionCtx } from './context.js';

/**
 * Abort: a game that has not had two moves yet (so both sides have not both moved) ends
 * `{reason:'aborted', winner:null}`, never rated. An open game nobody joined may be
 * aborted too (like cancelling it with resign).
 */
export async function abortGame({ g, finish }: ActionCtx): Promise<{ game: GameSnapshot }> {
  const r = g.row;
  if (r.status === 'finished') throw new ApiError('game_over', 'the game is over');
  if (r.move_count >= 2) throw new ApiError('not_abortable', 'both sides have moved: resign or offer a draw instead');
  r.status = 'finished';
  r.result = { winner: null, reason: 'aborted' };
  await finish(r.result);
  return { game: await g.commit() };
}
