import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import type { EventsResponse, GameResponse } from '@monkeytown/shared/schemas';
import { GAME_TITLES } from '../../../../src/components/lobby/game-titles';
import { Replay } from '../../../../src/components/game/Replay';
import { serverGet } from '../../../../src/lib/server-api';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const metadata: Metadata = { title: 'Replay' };

export default async function ReplayPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const [game, events] = await Promise.all([serverGet<GameResponse>(`/games/${id}`), serverGet<EventsResponse>(`/games/${id}/events?after=0&limit=1000`)]);
  if (!game.ok && game.status === 404) notFound();
  if (!game.ok) throw new Error(game.message);
  if (!events.ok) throw new Error(events.message);
  return <Replay game={game.data.game} events={events.data.events} title={GAME_TITLES[game.data.game.type] ?? game.data.game.type} />;
}
