'use client';
// Drives one game page: REST snapshot + history, the live topic (resuming after the last
// seq held), moves (useGameMoves: optimistic, kept across a lost link) and catch-up after
// gaps. An own move costs one REST call: its POST answer is folded into the model (see
// game-model.ts), and the stream's copy of it is a duplicate.
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { GameSnapshot } from '@monkeytown/shared/schemas';
import { api } from '../../lib/api';
import { gameReducer, initialModel, isBehind, type FeedEvent } from '../../lib/game-model';
import type { GameEvent } from '@monkeytown/shared/schemas';
import { useConnectionState, useLiveTopic } from '../../lib/live-provider';
import { useSession } from '../../lib/session';
import { useGameMoves } from './useGameMoves';

/**
 * How long the history may trail the snapshot (e.g. the game.over our winning move caused)
 * before the page stops waiting for the stream and reads the events from REST.
 */
const STREAM_GRACE_MS = 5000;

/** `initialEvents`: the history the server render read with the snapshot (first paint). */
export function useGame(initialGame: GameSnapshot, initialEvents: readonly GameEvent[] = []) {
  const { session } = useSession();
  const conn = useConnectionState();
  const [model, dispatch] = useReducer(gameReducer, null, () => initialModel(initialGame, initialEvents));
  const latest = useRef(model);
  latest.current = model;
  const gameId = initialGame.id;

  const running = useRef(false);
  const again = useRef(false);
  /** Fetch what we miss from REST; resolves with the highest seq now held (for resync). */
  const catchUp = useCallback(async (): Promise<number> => {
    let reached = latest.current.historySeq;
    if (running.current) {
      // One catch-up at a time; a request meanwhile makes it go round once more.
      again.current = true;
      return reached;
    }
    running.current = true;
    const take = (events: FeedEvent[]) => {
      if (!events.length) return;
      dispatch({ type: 'events', events });
      reached = Math.max(reached, ...events.map((e) => e.seq));
    };
    try {
      do {
        again.current = false;
        // Page through the stored events after what we hold, then refresh the snapshot.
        for (;;) {
          const { events } = await api.events(gameId, reached);
          take(events);
          if (events.length < 1000) break;
        }
        const { game } = await api.game(gameId);
        dispatch({ type: 'snapshot', game });
        if (game.seq > reached) take((await api.events(gameId, reached)).events);
      } while (again.current);
    } catch {
      /* the next live event, gap or reconnect triggers another try */
    } finally {
      running.current = false;
      dispatch({ type: 'caughtUp' });
    }
    return reached;
  }, [gameId]);

  // History on load, and whenever a gap was detected.
  useEffect(() => {
    if (!model.needsCatchUp) return;
    void catchUp();
    // If that attempt fails (server briefly away), keep trying while the gap remains.
    const retry = setInterval(() => void catchUp(), 2000);
    return () => clearInterval(retry);
  }, [model.needsCatchUp, catchUp]);

  // The stream brings every event after the snapshot; if the history still trails it after
  // a while (the stream is down, or lost one), read what is missing from REST.
  const behind = isBehind(model);
  useEffect(() => {
    if (!behind || model.needsCatchUp) return;
    const t = setInterval(() => void catchUp(), STREAM_GRACE_MS);
    return () => clearInterval(t);
  }, [behind, model.needsCatchUp, catchUp]);

  useLiveTopic(`game:${gameId}`, {
    // History up to the snapshot comes from REST; the stream only needs what follows it.
    sinceSeq: () => Math.max(latest.current.historySeq, initialGame.seq),
    onEvent: (ev) => dispatch({ type: 'events', events: [ev], live: true }),
    onResync: () => catchUp(),
    onPresence: (n, players) => dispatch({ type: 'presence', spectators: n, players, at: Date.now() }),
  });

  // Every move (click, drag, premove) takes this one path; a move the link lost is kept and resent.
  const { play, waiting } = useGameMoves({ gameId, latest, dispatch, session: session ?? null, catchUp, connOpen: conn.state === 'open' });

  return { model, dispatch, play, waiting, catchUp, session };
}
