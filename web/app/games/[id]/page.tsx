import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import type { GameResponse } from '@monkeytown/shared/schemas';
import { GameView } from '../../../src/components/game/GameView';
import { GAME_TITLES } from '../../../src/components/lobby/game-titles';
import { serverGet } from '../../../src/lib/server-api';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Game ${id.slice(0, 8)}` };
}

export default async function GamePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const res = await serverGet<GameResponse>(`/games/${id}`);
  if (!res.ok && res.status === 404) notFound();
  if (!res.ok) throw new Error(res.message);
  return <GameView initialGame={res.data.game} title={GAME_TITLES[res.data.game.type] ?? res.data.game.type} />;
}
