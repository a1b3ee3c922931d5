import type { AgentsResponse, ListGamesResponse } from '@monkeytown/shared/schemas';
import { Lobby } from '../src/components/lobby/Lobby';
import { serverGet } from '../src/lib/server-api';

export default async function LobbyPage({ searchParams }: { searchParams: Promise<{ opponent?: string; type?: string }> }) {
  const sp = await searchParams;
  // Rendered with data on the server so the first paint already shows the troop and games.
  const [agents, open, active, finished] = await Promise.all([
    serverGet<AgentsResponse>('/agents'),
    serverGet<ListGamesResponse>('/games?status=open&limit=20'),
    serverGet<ListGamesResponse>('/games?status=active&limit=20'),
    serverGet<ListGamesResponse>('/games?status=finished&limit=10'),
  ]);
  return (
    <Lobby
      initialAgents={agents.ok ? agents.data.agents : []}
      initialOpen={open.ok ? open.data.games : []}
      initialActive={active.ok ? active.data.games : []}
      initialFinished={finished.ok ? finished.data.games : []}
      initialOpponent={sp.opponent}
      initialType={sp.type}
      serverError={agents.ok ? null : agents.message}
    />
  );
}
