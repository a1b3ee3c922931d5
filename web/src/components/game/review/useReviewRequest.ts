'use client';
import { useEffect, useRef } from 'react';
import type { GameSnapshot } from '@monkeytown/shared/schemas';
import { call } from '../../../lib/api';

/**
 * Asks for the post-game review the moment this page sees the game end. Reviews are
 * computed on request (REVIEW_AUTO is off by default: a game nobody watches end costs
 * nothing), so whoever watched the last move finds the review ready, or nearly, by the
 * time they open the replay. Only a player's page asks: a crowd of spectators watching
 * the last move must not send a crowd of requests (the replay asks for whoever opens it).
 * A game already over when the page opened is left to the replay page too.
 */
export function useReviewRequest(game: Pick<GameSnapshot, 'id' | 'status'>, seated: boolean): void {
  const seen = useRef(game.status);
  useEffect(() => {
    const before = seen.current;
    seen.current = game.status;
    if (!seated || before === 'finished' || game.status !== 'finished') return;
    // Fire and forget: the answer (pending/done) is read by the replay page.
    void call('games.review', { params: { id: game.id } }).catch(() => {});
  }, [game.id, game.status, seated]);
}
