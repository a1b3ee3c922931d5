// A monkey seated in the game answers a person's chat line in the same command as the
// line itself, so the reply always follows it in the game's event order. The words come
// from canned lines in its voice (packages/shared/src/ai/chat.ts), never a service.
import { agentChatReply, PERSONALITIES } from '@monkeytown/shared/ai';
import type { AgentId, ChatResponse } from '@monkeytown/shared/schemas';
import type { GameRow } from '../snapshot.js';
import { Draft } from './draft.js';
import type { CommandDef, CommandOf } from './types.js';

interface ChatInputs {
  /** The speaker's name. */
  name: string;
  /** The seated agent's last move's reason (its reply may mention it). */
  lastReason: string | null;
}

/** The seat of an agent that answers `speakerId`, or null. */
function answeringSeat(r: GameRow, speakerId: string | null): 0 | 1 | null {
  const seat = r.p0_kind === 'agent' ? 0 : r.p1_kind === 'agent' ? 1 : null;
  if (seat === null) return null;
  const agentId = seat === 0 ? r.p0_agent : r.p1_agent;
  const agentPlayer = seat === 0 ? r.player0_id : r.player1_id;
  if (!agentId || !(agentId in PERSONALITIES) || !agentPlayer || agentPlayer === speakerId) return null;
  return seat;
}

/** A chat line, from a player or a spectator (any status: the lifecycle allows it). */
export const chat: CommandDef<CommandOf<'chat'>, ChatInputs, ChatResponse> = {
  lifecycle: () => 'chat',
  actor: 'anyone',
  batched: false,
  async inputs(q, row, _c, { playerId }) {
    const seat = answeringSeat(row, playerId);
    const { rows } = await q.query<{ name: string | null; reason: string | null }>(
      `SELECT (SELECT name FROM players WHERE id = $1) AS name,
        (SELECT reason FROM moves WHERE game_id = $2 AND seat = $3 ORDER BY move_number DESC LIMIT 1) AS reason`,
      [playerId, row.id, seat ?? -1],
    );
    return { name: rows[0]?.name ?? '?', lastReason: rows[0]?.reason ?? null };
  },
  plan(row, c, { now, clocks, playerId, inputs }) {
    const d = new Draft(row, now, clocks);
    const seq = d.emit('chat', { playerId: playerId!, name: inputs.name, text: c.text });
    const seat = answeringSeat(row, playerId);
    if (seat !== null) {
      const agentId = (seat === 0 ? row.p0_agent : row.p1_agent) as AgentId;
      const result = row.status !== 'finished' || !row.result ? null : row.result.winner === null ? 'draw' : row.result.winner === seat ? 'won' : 'lost';
      const reply = agentChatReply(agentId, { text: c.text, result, lastReason: inputs.lastReason }, seq);
      const agentPlayer = (seat === 0 ? row.player0_id : row.player1_id)!;
      d.emit('chat', { playerId: agentPlayer, name: (seat === 0 ? row.p0_name : row.p1_name) ?? agentId, text: reply });
    }
    return d.done(() => ({ seq }));
  },
};
