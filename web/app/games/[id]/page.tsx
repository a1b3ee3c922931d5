import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { GameView } from '../../../src/components/game/GameView';
import { GAME_TITLES } from '../../../src/components/lobby/game-titles';
import { serverCall } from '../../../src/lib/server-api';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One snapshot fetch per request, shared by the title and the page. */
const getGame = cache((id: string) => serverCall('games.get', { params: { id } }));

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  const res = UUID.test(id) ? await getGame(id) : null;
  if (!res?.ok) return { title: 'Game' };
  const g = res.data.game;
  const name = (seat: number) => g.players.find((p) => p.seat === seat)?.name ?? '…';
  // The page refines it in the browser ("Your turn · vs …") once it knows who is looking.
  return { title: `${name(0)} vs ${name(1)} · ${GAME_TITLES[g.type] ?? g.type}` };
}

export default async function GamePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  // The history with the snapshot: the first paint shows the position and its moves (issue
  // 26). Without it (the events call failed) the page reads it from REST, as before.
  const [res, events] = await Promise.all([getGame(id), serverCall('games.events', { params: { id }, query: { after: 0, limit: 1000 } })]);
  if (!res.ok && res.code === 'not_found') notFound();
  if (!res.ok) throw new Error(res.message);
  return <GameView initialGame={res.data.game} initialEvents={events.ok ? events.data.events : []} title={GAME_TITLES[res.data.game.type] ?? res.data.game.type} />;
}
