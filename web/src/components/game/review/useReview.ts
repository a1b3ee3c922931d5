'use client';
import { useEffect, useState } from 'react';
import type { ReviewResponse } from '@monkeytown/shared/schemas';
import { call } from '../../../lib/api';

/** How often the page asks again while the troop is still reviewing. */
const POLL_MS = 2000;

export type ReviewState = ReviewResponse | { status: 'error'; message: string } | { status: 'loading' };

/** The post-game review of a finished game, asked for until it is done (GET /review); `initial` came with the page. */
export function useReview(gameId: string, finished: boolean, initial: ReviewResponse | null): ReviewState {
  const [state, setState] = useState<ReviewState>(initial ?? { status: 'loading' });
  const done = initial?.status === 'done';
  useEffect(() => {
    if (!finished || done) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      try {
        const r = await call('games.review', { params: { id: gameId } });
        if (stopped) return;
        setState(r);
        if (r.status === 'pending') timer = setTimeout(ask, POLL_MS);
      } catch (err) {
        if (stopped) return;
        setState({ status: 'error', message: err instanceof Error ? err.message : String(err) });
        timer = setTimeout(ask, POLL_MS * 3);
      }
    };
    void ask();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [gameId, finished, done]);
  return state;
}
