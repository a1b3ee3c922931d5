import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { GAME_TITLES } from '../../../src/components/lobby/game-titles';
import { RatingDelta, RatingText } from '../../../src/components/RatingText';
import { changeFor } from '../../../src/lib/ratings';
import { serverCall } from '../../../src/lib/server-api';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "30 Nov 2026": the same for every reader (no month/day order to guess). */
const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

export const metadata: Metadata = { title: 'Player' };

export default async function PlayerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const res = await serverCall('players.get', { params: { id } });
  if (!res.ok && res.code === 'not_found') notFound();
  if (!res.ok) throw new Error(res.message);
  const { player, ratings, recentGames } = res.data;
  return (
    <div className="player-page">
      <div className="page-head">
        <div>
          <h1>{player.name}</h1>
          <p className="lede">{player.kind === 'agent' ? 'A member of the Monkeytown troop' : 'Monkeytown player'} · since {day(player.createdAt)}</p>
        </div>
      </div>
      <section className="panel" aria-labelledby="ratings-h">
        <h2 id="ratings-h">Ratings</h2>
        {ratings.length === 0 ? (
          <p className="muted">No rated games yet.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Game</th>
                <th scope="col">Rating</th>
                <th scope="col">Games</th>
                <th scope="col">W / L / D</th>
              </tr>
            </thead>
            <tbody>
              {ratings.map((r) => (
                <tr key={r.type}>
                  <td>{GAME_TITLES[r.type] ?? r.type}</td>
                  <td>
                    <RatingText rating={r.rating} provisional={r.provisional} /> <span className="muted">±{Math.round(r.deviation)}</span>
                  </td>
                  <td>{r.games}</td>
                  <td>
                    {r.wins} / {r.losses} / {r.draws}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="recent-h">
        <h2 id="recent-h">Recent games</h2>
        {recentGames.length === 0 ? (
          <p className="muted">No games yet.</p>
        ) : (
          <ul className="game-rows">
            {recentGames.map((g) => {
              const me = g.players.find((p) => p.playerId === player.id);
              const other = g.players.find((p) => p.playerId !== player.id);
              const outcome = !g.result ? g.status : g.result.reason === 'aborted' ? 'aborted' : g.result.winner === null ? 'draw' : g.result.winner === me?.seat ? 'won' : 'lost';
              const change = changeFor(g, player.id);
              return (
                <li key={g.id} className="game-row">
                  <span className="game-info">
                    <span className="game-type">{GAME_TITLES[g.type] ?? g.type}</span>
                    <span className="game-who">
                      vs {other ? `${other.emoji ? other.emoji + ' ' : ''}${other.name}` : '…'}
                      {other && (
                        <span className="muted">
                          {' ('}
                          <RatingText rating={other.rating} provisional={other.provisional} />)
                        </span>
                      )}{' '}
                      <span className="tag" data-outcome={outcome}>{outcome}</span>
                      {change && (
                        <span className="game-rating-change" title={`Rating ${Math.round(change.before)} → ${Math.round(change.after)}`}>
                          {' '}
                          <RatingDelta change={change} />
                        </span>
                      )}
                    </span>
                    <span className="game-when">
                      <time dateTime={g.updatedAt}>{day(g.updatedAt)}</time> · {g.moveCount} {g.moveCount === 1 ? 'move' : 'moves'}
                    </span>
                  </span>
                  <Link className="button" href={g.status === 'finished' ? `/games/${g.id}/replay` : `/games/${g.id}`}>
                    {g.status === 'finished' ? 'Replay' : 'Open'}
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
