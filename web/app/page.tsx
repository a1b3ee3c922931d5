import { Lobby } from '../src/components/lobby/Lobby';
import { serverCall } from '../src/lib/server-api';

export default async function LobbyPage({ searchParams }: { searchParams: Promise<{ opponent?: string; type?: string }> }) {
  const sp = await searchParams;
  // Rendered with data on the server so the first paint already shows the troop and games.
  const [agents, open, active, finished] = await Promise.all([
    serverCall('agents.list', {}),
    serverCall('games.list', { query: { status: 'open', limit: 20 } }),
    serverCall('games.list', { query: { status: 'active', limit: 20 } }),
    serverCall('games.list', { query: { status: 'finished', limit: 10 } }),
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
