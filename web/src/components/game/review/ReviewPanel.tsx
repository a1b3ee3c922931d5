'use client';
// The post-game review beside the replay (issue 27): the reviewing monkey's summary, each
// player's accuracy, the evaluation curve, and the deciding moments in words; a moment
// (or a point on the curve) jumps the replay to its move.
import type { GameReview, GameSnapshot, ReviewMomentKind, ReviewResponse } from '@monkeytown/shared/schemas';
import { EvalCurve } from './EvalCurve';
import { useReview } from './useReview';

const KIND: Record<ReviewMomentKind, string> = {
  blunder: 'Blunder',
  mistake: 'Mistake',
  inaccuracy: 'Inaccuracy',
  'missed-win': 'Missed win',
};

export function ReviewPanel(props: { game: GameSnapshot; initial: ReviewResponse | null; step: number; onSelect: (ply: number) => void }) {
  const review = useReview(props.game.id, props.game.status === 'finished', props.initial);
  if (props.game.status !== 'finished') return null;
  return (
    <section className="panel review-panel" aria-labelledby="review-title" data-testid="review">
      <h2 id="review-title">Post-game review</h2>
      {review.status === 'done' ? (
        <ReviewBody review={review.review} game={props.game} step={props.step} onSelect={props.onSelect} />
      ) : review.status === 'failed' || review.status === 'error' ? (
        <p className="muted">The review is not available: {review.message}</p>
      ) : (
        <p className="muted" role="status" data-testid="review-pending">The troop is reviewing this game…</p>
      )}
    </section>
  );
}

function ReviewBody({ review, game, step, onSelect }: { review: GameReview; game: GameSnapshot; step: number; onSelect: (ply: number) => void }) {
  const name = (seat: 0 | 1) => game.players.find((p) => p.seat === seat)?.name ?? `Seat ${seat + 1}`;
  const names = [name(0), name(1)] as const;
  return (
    <>
      <p className="review-summary" data-testid="review-summary">
        <strong>{review.reviewer.name}:</strong> {review.summary}
      </p>
      <table className="review-players">
        <thead>
          <tr>
            <th scope="col">Player</th>
            <th scope="col">Accuracy</th>
            <th scope="col"><abbr title="Blunders (missed wins included)">Blunders</abbr></th>
            <th scope="col">Mistakes</th>
            <th scope="col"><abbr title="Inaccuracies">Inacc.</abbr></th>
          </tr>
        </thead>
        <tbody>
          {review.players.map((p) => (
            <tr key={p.seat} data-testid={`review-player-${p.seat}`}>
              <th scope="row">{names[p.seat]}</th>
              <td>{p.accuracy === null ? '—' : `${Math.round(p.accuracy)}%`}</td>
              <td>{p.blunders}</td>
              <td>{p.mistakes}</td>
              <td>{p.inaccuracies}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <EvalCurve review={review} step={step} seatNames={names} onSelect={onSelect} />
      {review.moments.length === 0 ? (
        <p className="muted">No move changed the game much: a clean game.</p>
      ) : (
        <ol className="review-moments">
          {review.moments.map((m) => (
            <li key={m.ply} className={m.ply === step ? 'current' : undefined}>
              <button type="button" className="review-moment" data-ply={m.ply} aria-current={m.ply === step ? 'step' : undefined} onClick={() => onSelect(m.ply)}>
                <span className={`review-kind review-${m.kind}`}>{m.turningPoint ? 'Turning point · ' : ''}{KIND[m.kind]}</span>
                <span className="review-who">{names[m.seat]} · {m.played}</span>
              </button>
              <p className="review-text">{m.text}</p>
            </li>
          ))}
        </ol>
      )}
      <p className="review-method muted">Reviewed by search ({review.method}); accuracy as in docs/ai.md.</p>
    </>
  );
}
