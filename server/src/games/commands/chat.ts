// A monkey seated in the game answers a person's chat line in the same command as the
// line itself, so the reply always follows it in the game's event order. The words come
// from canned lines in its voice (packages/shared/src/ai/chat.ts), never a service.
// Manners (issue 26): every line passes the word filter (masked, never refused); the
// monkey answers at most once per AGENT_REPLY_GAP_MS in a game, and not at all to a
// speaker who is flooding (FLOOD_LINES lines within FLOOD_WINDOW_MS). Both are read from
// the game's stored chat in the command's transaction, under the game's row lock, so
// they hold whichever replica takes each line.
import { agentChatReply, PERSONALITIES } from '@monkeytown/shared/ai';
import type { AgentId, ChatResponse } from '@monkeytown/shared/schemas';
import { maskWords } from '../../chat/filter.js';
import type { GameRow } from '../snapshot.js';
import { Draft } from './draft.js';
import type { CommandDef, CommandOf } from './types.js';

interface ChatInputs {
  /** The speaker's name. */
  name: string;
  /** The seated agent's last move's reason (its reply may mention it). */
  lastReason: string | null;
  /** Milliseconds since the seated agent last said anything in this game (null: never). */
  sinceReplyMs: number | null;
  /** The speaker's lines in this game within the last FLOOD_WINDOW_MS, before this one. */
  recentLines: number;
}

/** A monkey answers at most one line per this long in a game. */
export const AGENT_REPLY_GAP_MS = 5_000;
/** A speaker with this many lines (this one included) within FLOOD_WINDOW_MS is flooding: no answer. */
export const FLOOD_LINES = 3;
export const FLOOD_WINDOW_MS = 10_000;

/** Whether the monkey answers this line: not too soon after its last answer, never to a flood. */
export const monkeyAnswers = (i: Pick<ChatInputs, 'sinceReplyMs' | 'recentLines'>): boolean =>
  (i.sinceReplyMs === null || i.sinceReplyMs >= AGENT_REPLY_GAP_MS) && i.recentLines + 1 < FLOOD_LINES;

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
    const agentPlayer = seat === null ? null : seat === 0 ? row.player0_id : row.player1_id;
    // Times by the database's clock (the events' `at`), the same for every replica.
    const { rows } = await q.query<{ name: string | null; reason: string | null; since_reply_ms: number | null; recent: number }>(
      `SELECT (SELECT name FROM players WHERE id = $1) AS name,
        (SELECT reason FROM moves WHERE game_id = $2 AND seat = $3 ORDER BY move_number DESC LIMIT 1) AS reason,
        (SELECT (extract(epoch FROM now() - max(at)) * 1000)::float8 FROM events
          WHERE $4::text IS NOT NULL AND game_id = $2 AND kind = 'chat' AND data->>'playerId' = $4) AS since_reply_ms,
        (SELECT count(*)::int FROM events
          WHERE $4::text IS NOT NULL AND game_id = $2 AND kind = 'chat' AND data->>'playerId' = $1::text
            AND at > now() - make_interval(secs => $5)) AS recent`,
      [playerId, row.id, seat ?? -1, agentPlayer, FLOOD_WINDOW_MS / 1000],
    );
    const r = rows[0];
    return {
      name: r?.name ?? '?', lastReason: r?.reason ?? null,
      sinceReplyMs: r?.since_reply_ms === null || r?.since_reply_ms === undefined ? null : Number(r.since_reply_ms), recentLines: r?.recent ?? 0,
    };
  },
  plan(row, c, { now, clocks, playerId, inputs }) {
    const d = new Draft(row, now, clocks);
    const text = maskWords(c.text);
    const seq = d.emit('chat', { playerId: playerId!, name: inputs.name, text });
    const seat = answeringSeat(row, playerId);
    if (seat !== null && monkeyAnswers(inputs)) {
      const agentId = (seat === 0 ? row.p0_agent : row.p1_agent) as AgentId;
      const result = row.status !== 'finished' || !row.result ? null : row.result.winner === null ? 'draw' : row.result.winner === seat ? 'won' : 'lost';
      const reply = agentChatReply(agentId, { text, result, lastReason: inputs.lastReason }, seq);
      const agentPlayer = (seat === 0 ? row.player0_id : row.player1_id)!;
      d.emit('chat', { playerId: agentPlayer, name: (seat === 0 ? row.p0_name : row.p1_name) ?? agentId, text: reply });
    }
    return d.done(() => ({ seq }));
  },
};
