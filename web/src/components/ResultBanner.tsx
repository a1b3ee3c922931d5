'use client';
// The end of a game in one line, from the viewer's point of view.
import type { ReactNode } from 'react';
import type { GameSnapshot, Seat } from '@monkeytown/shared/schemas';

const REASON: Record<string, string> = {
  win: '',
  draw: '',
  resign: ' by resignation',
  timeout: ' on time',
  abandoned: ' (abandoned)',
};

export function resultText(game: GameSnapshot, mySeat: Seat | null): string {
  const r = game.result;
  if (!r) return '';
  if (r.winner === null) return 'Draw!';
  const winner = game.players.find((p) => p.seat === r.winner);
  const why = REASON[r.reason] ?? '';
  if (mySeat !== null) return r.winner === mySeat ? `You win${why}! 🏆` : `${winner?.name ?? 'Your opponent'} wins${why}.`;
  return `${winner?.name ?? `Seat ${r.winner + 1}`} wins${why}.`;
}

export function ResultBanner({ game, mySeat, children }: { game: GameSnapshot; mySeat: Seat | null; children?: ReactNode }) {
  if (game.status !== 'finished' || !game.result) return null;
  const outcome = game.result.winner === null ? 'draw' : mySeat === null ? 'other' : game.result.winner === mySeat ? 'win' : 'loss';
  return (
    <div className="result-banner" role="status" data-outcome={outcome}>
      <strong>{resultText(game, mySeat)}</strong>
      <span className="result-actions">{children}</span>
    </div>
  );
}
