// A monkey seated in the game answers a person's chat line, in the same transaction as the
// line itself, so the reply always follows it in the game's event order. The words come
// from canned lines in its voice (packages/shared/src/ai/chat.ts), never a service.
import { agentChatReply, PERSONALITIES } from '@monkeytown/shared/ai';
import type { AgentId } from '@monkeytown/shared/schemas';
import type { GameTx } from './game-tx.js';

export async function agentReplies(g: GameTx, speakerId: string, text: string): Promise<void> {
  const r = g.row;
  const seat = r.p0_kind === 'agent' ? 0 : r.p1_kind === 'agent' ? 1 : null;
  if (seat === null) return;
  const agentId = seat === 0 ? r.p0_agent : r.p1_agent;
  const agentPlayer = seat === 0 ? r.player0_id : r.player1_id;
  if (!agentId || !(agentId in PERSONALITIES) || !agentPlayer || agentPlayer === speakerId) return;
  const { rows } = await g.q.query<{ reason: string | null }>(
    'SELECT reason FROM moves WHERE game_id = $1 AND seat = $2 ORDER BY move_number DESC LIMIT 1',
    [r.id, seat],
  );
  const result = r.status !== 'finished' || !r.result ? null : r.result.winner === null ? 'draw' : r.result.winner === seat ? 'won' : 'lost';
  const reply = agentChatReply(agentId as AgentId, { text, result, lastReason: rows[0]?.reason ?? null }, g.seq);
  await g.emit('chat', { playerId: agentPlayer, name: (seat === 0 ? r.p0_name : r.p1_name) ?? agentId, text: reply });
}
