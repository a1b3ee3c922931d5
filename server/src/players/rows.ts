import type { Player } from '@monkeytown/shared';

/** A `players` row as the queries of this folder select it. */
export interface PlayerRow {
  id: string;
  name: string;
  kind: 'human' | 'agent';
  agent_id: string | null;
  created_at: Date;
}

export const toPlayer = (r: PlayerRow): Player => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  ...(r.agent_id ? { agentId: r.agent_id as Player['agentId'] } : {}),
  createdAt: r.created_at.toISOString(),
});
