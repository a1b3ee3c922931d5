import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { GAME_TITLES } from '../../../../src/components/lobby/game-titles';
import { Replay } from '../../../../src/components/game/Replay';
import { serverCall } from '../../../../src/lib/server-api';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const metadata: Metadata = { title: 'Replay' };

export default async function ReplayPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const [game, events, review] = await Promise.all([
    serverCall('games.get', { params: { id } }),
    serverCall('games.events', { params: { id }, query: { after: 0, limit: 1000 } }),
    // The post-game review comes with the page when it is done (409 for a game still going: none).
    serverCall('games.review', { params: { id } }),
  ]);
  if (!game.ok && game.code === 'not_found') notFound();
  if (!game.ok) throw new Error(game.message);
  if (!events.ok) throw new Error(events.message);
  return (
    <Replay
      game={game.data.game}
      events={events.data.events}
      review={review.ok ? review.data : null}
      title={GAME_TITLES[game.data.game.type] ?? game.data.game.type}
    />
  );
}
