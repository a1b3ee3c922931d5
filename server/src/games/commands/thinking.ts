import { ApiError } from '@monkeytown/shared';
import { Draft } from './draft.js';
import type { CommandDef, CommandOf } from './types.js';

/**
 * The AI runner claimed an agent's turn and thinks: `agent.thinking` (not a state change:
 * it does not make expectedSeq stale). Its own check instead of a lifecycle row: the turn
 * the runner claimed must still be the current one.
 */
export const agentThinking: CommandDef<CommandOf<'agent.thinking'>, undefined, number> = {
  lifecycle: () => null,
  actor: 'system',
  batched: true,
  plan(row, c, { now, clocks }) {
    if (row.state_seq !== c.stateSeq || row.status !== 'active' || row.turn !== c.seat) {
      throw new ApiError('stale_seq', 'the agent turn moved on');
    }
    const d = new Draft(row, now, clocks);
    const seq = d.emit('agent.thinking', { seat: c.seat, agentId: c.agentId });
    return d.done(() => seq, 'agent');
  },
};
