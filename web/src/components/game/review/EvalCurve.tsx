'use client';
// The review's evaluation curve as a small SVG: seat 0's winning chance after each ply
// (top = seat 0 winning), a dot on each moment, a line at the ply on the board. A click
// anywhere on the chart jumps the replay to the nearest ply.
import type { GameReview } from '@monkeytown/shared/schemas';

const W = 320;
const H = 96;

export function EvalCurve(props: { review: GameReview; step: number; seatNames: readonly [string, string]; onSelect: (ply: number) => void }) {
  const { curve, moments } = props.review;
  const n = Math.max(1, curve.length - 1);
  const x = (i: number) => (i / n) * W;
  const y = (pct: number) => H - (pct / 100) * H;
  const points = curve.map((c, i) => `${x(i).toFixed(1)},${y(c).toFixed(1)}`).join(' ');
  const area = `0,${H} ${points} ${W},${H}`;
  const pick = (e: React.MouseEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    props.onSelect(Math.round(((e.clientX - box.left) / box.width) * n));
  };
  return (
    <figure className="eval-curve">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Evaluation over the game: ${props.seatNames[0]}'s winning chance after each move`}
        data-testid="eval-curve"
        onClick={pick}
      >
        <rect x={0} y={0} width={W} height={H} className="eval-bg" />
        <polygon points={area} className="eval-area" />
        <line x1={0} x2={W} y1={H / 2} y2={H / 2} className="eval-mid" />
        <polyline points={points} className="eval-line" fill="none" />
        <line x1={x(props.step)} x2={x(props.step)} y1={0} y2={H} className="eval-now" />
        {moments.map((m) => (
          <circle key={m.ply} cx={x(m.ply)} cy={y(curve[m.ply] ?? 50)} r={m.turningPoint ? 5 : 3.5} className={`eval-dot eval-${m.kind}`}>
            <title>{m.played}</title>
          </circle>
        ))}
      </svg>
      <figcaption>
        <span>▲ {props.seatNames[0]}</span> <span>▼ {props.seatNames[1]}</span>
      </figcaption>
    </figure>
  );
}
