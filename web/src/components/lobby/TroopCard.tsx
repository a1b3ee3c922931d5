// One agent of the troop: emoji, name, style, strength (1..10) and rating for a game type.
import type { Agent, GameType, Rating } from '@monkeytown/shared/schemas';
import { RatingText } from '../RatingText';

export function ratingFor(agent: Agent, type: GameType): Rating | null {
  return agent.ratings.find((x) => x.type === type) ?? null;
}

export function StrengthMeter({ strength }: { strength: number }) {
  return (
    <span className="strength" role="img" aria-label={`Strength ${strength} of 10`}>
      {Array.from({ length: 10 }, (_, i) => (
        <span key={i} className="pip" data-on={i < strength || undefined} aria-hidden="true" />
      ))}
    </span>
  );
}

/** "MentorOrangutan" may wrap as "Mentor / Orangutan" in narrow cards, never mid-word. */
export function CamelName({ name }: { name: string }) {
  const parts = name.split(/(?=[A-Z])/);
  return (
    <>
      {parts.map((p, i) => (
        <span key={i}>
          {i > 0 && <wbr />}
          {p}
        </span>
      ))}
    </>
  );
}

export function TroopCardBody({ agent, type }: { agent: Agent; type: GameType }) {
  const rating = ratingFor(agent, type);
  return (
    <>
      <span className="troop-emoji" aria-hidden="true">
        {agent.emoji}
      </span>
      <span className="troop-name">
        <CamelName name={agent.name} />
      </span>
      <span className="troop-style">{agent.style}</span>
      <StrengthMeter strength={agent.strength} />
      <span className="troop-rating">
        {rating === null ? (
          'unrated'
        ) : (
          <>
            Rating <RatingText rating={rating.rating} provisional={rating.provisional} />
          </>
        )}
      </span>
    </>
  );
}
