import type { Metadata } from 'next';
import Link from 'next/link';
import type { GameType } from '@monkeytown/shared/schemas';
import { GAME_TITLES, PLAYABLE_TYPES } from '../../src/components/lobby/game-titles';
import { CamelName } from '../../src/components/lobby/TroopCard';
import { RatingText } from '../../src/components/RatingText';
import { serverCall } from '../../src/lib/server-api';

export const metadata: Metadata = { title: 'Leaderboard' };

export default async function LeaderboardPage({ searchParams }: { searchParams: Promise<{ type?: string }> }) {
  const sp = await searchParams;
  const type: GameType = PLAYABLE_TYPES.includes(sp.type as GameType) ? (sp.type as GameType) : 'tictactoe';
  const res = await serverCall('leaderboard.get', { query: { type, limit: 50 } });
  return (
    <div className="leaderboard-page">
      <div className="page-head">
        <div>
          <h1>Leaderboard</h1>
          <p className="lede">Glicko-2 ratings from rated games, people and monkeys alike. Provisional ratings (&ldquo;1520?&rdquo;, after only a few games) join the table once they settle.</p>
        </div>
      </div>
      <nav className="tabs" aria-label="Game type">
        {PLAYABLE_TYPES.map((t) => (
          <Link key={t} href={`/leaderboard?type=${t}`} aria-current={t === type ? 'page' : undefined}>
            {GAME_TITLES[t]}
          </Link>
        ))}
      </nav>
      <section className="panel">
        {!res.ok ? (
          <p className="error" role="alert">
            {res.message}
          </p>
        ) : res.data.entries.length === 0 ? (
          <p className="muted">No rated {GAME_TITLES[type]} games yet.</p>
        ) : (
          <table className="table">
            <caption className="sr-only">{GAME_TITLES[type]} leaderboard</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Player</th>
                <th scope="col">Rating</th>
                <th scope="col" className="hide-sm">Games</th>
                <th scope="col" className="num">W / L / D</th>
              </tr>
            </thead>
            <tbody>
              {res.data.entries.map((e) => (
                <tr key={e.player.id}>
                  <td>{e.rank}</td>
                  <td>
                    <Link href={`/players/${e.player.id}`}>
                      {e.emoji ? <span aria-hidden="true">{e.emoji} </span> : null}
                      <CamelName name={e.player.name} />
                    </Link>
                  </td>
                  <td className="num">
                    <RatingText rating={e.rating.rating} provisional={e.rating.provisional} />
                  </td>
                  <td className="hide-sm">{e.rating.games}</td>
                  <td className="num">
                    {e.rating.wins} / {e.rating.losses} / {e.rating.draws}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
