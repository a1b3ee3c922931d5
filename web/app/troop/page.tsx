import type { Metadata } from 'next';
import Link from 'next/link';
import { GAME_TITLES } from '../../src/components/lobby/game-titles';
import { StrengthMeter } from '../../src/components/lobby/TroopCard';
import { RatingText } from '../../src/components/RatingText';
import { serverCall } from '../../src/lib/server-api';

export const metadata: Metadata = { title: 'The troop' };

export default async function TroopPage() {
  const res = await serverCall('agents.list', {});
  return (
    <div className="troop-page">
      <div className="page-head">
        <div>
          <h1>The Monkeytown troop</h1>
          <p className="lede">Seven monkeys, seven ways to think. Each one searches for real and tells you why it moved.</p>
        </div>
      </div>
      {!res.ok ? (
        <p className="error" role="alert">
          {res.message}
        </p>
      ) : (
        <ul className="troop-grid">
          {res.data.agents
            .slice()
            .sort((a, b) => b.strength - a.strength)
            .map((a) => (
              <li key={a.id} className="panel troop-profile">
                <span className="troop-emoji big" aria-hidden="true">
                  {a.emoji}
                </span>
                <h2>
                  <Link href={`/players/${a.playerId}`}>{a.name}</Link>
                </h2>
                <p className="troop-style">{a.style}</p>
                <StrengthMeter strength={a.strength} />
                <p>{a.description}</p>
                <p className="muted">
                  {a.games} {a.games === 1 ? 'game' : 'games'}
                  {a.ratings.map((r) => (
                    <span key={r.type}>
                      {` · ${GAME_TITLES[r.type] ?? r.type} `}
                      <RatingText rating={r.rating} provisional={r.provisional} />
                    </span>
                  ))}
                </p>
                <Link className="button" href={`/?opponent=${a.id}`}>
                  Play {a.name}
                </Link>
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}
