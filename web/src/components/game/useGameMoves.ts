'use client';
// The one path every move takes (a click, a drag, a premove): checked with the shared
// engine, drawn at once (optimistic), sent with the seq the page saw and an
// Idempotency-Key. A move whose request never got an answer (offline, or lost in flight)
// is kept, still drawn as pending, and sent again with the SAME key and body when the link
// is back (the browser's `online`, the stream reopening, or a retry every few seconds): the
// server answers a repeat with the stored response, so it is never played twice. A request
// that hangs with no error (a stalled proxy, a half-open connection) is given up after
// MOVE_TIMEOUT_MS and resent at once the same way, so the page never stays "Sending…". A move
// that can no longer apply (game over, position changed) is dropped with a clear notice and
// the board returns to the true position.
import { useCallback, useEffect, useRef, useState, type Dispatch, type MutableRefObject } from 'react';
import { Move } from '@monkeytown/shared/schemas';
import { engineFor } from '@monkeytown/shared/games';
import { api, type ApiError, newIdempotencyKey } from '../../lib/api';
import { KEPT_MESSAGE, SLOW_MESSAGE, type GameAction, type GameModel } from '../../lib/game-model';
import type { Session } from '../../lib/session';

// What the page says while a move waits for the link (game-model.ts: they go when the move settles).
export { KEPT_MESSAGE, SLOW_MESSAGE } from '../../lib/game-model';
const RETRY_EVERY_MS = 2500;
/** An unanswered move request is given up after this (a move is answered in milliseconds). */
export const MOVE_TIMEOUT_MS = 5000;
/** The request never got a usable answer: the move may or may not have landed. */
const LINK_ERRORS = new Set(['network', 'unavailable', 'request_timeout']);

interface Outbound {
  move: Move;
  key: string;
  expectedSeq: number;
  /** Moves made when it was played: another move since means the position changed. */
  baseMoves: number;
  /** The link lost it once: a later refusal says which move was not played. */
  kept?: boolean;
}

export function useGameMoves(opts: { gameId: string; latest: MutableRefObject<GameModel>; dispatch: Dispatch<GameAction>; session: Session | null; catchUp: () => Promise<number>; connOpen: boolean }) {
  const { gameId, latest, dispatch, session, catchUp, connOpen } = opts;
  const outbox = useRef<Outbound | null>(null);
  const sending = useRef(false);
  const [waiting, setWaiting] = useState(false);
  const token = session?.token ?? null;
  const playerId = session?.playerId ?? null;

  const fail = useCallback(
    (notice: string) => {
      outbox.current = null;
      setWaiting(false);
      dispatch({ type: 'rollback', notice });
      void catchUp();
    },
    [dispatch, catchUp],
  );

  /** A try that got no answer or a refusal: keep it, try again, or drop it with a notice. */
  const refused = useCallback(
    async (o: Outbound, e: ApiError, timedOut: boolean, retry: boolean): Promise<'resend' | 'again' | null> => {
      if (timedOut || LINK_ERRORS.has(e.code)) {
        const now = latest.current.game;
        if (now.moveCount > o.baseMoves || now.status === 'finished') {
          // The stream already showed it played (the server took the try whose answer was
          // lost), or the game is over: nothing to send again, nothing to say.
          outbox.current = null;
          setWaiting(false);
          return null;
        }
        // It may have landed or not. Kept: the same request (same key: the server answers a
        // repeat from it) goes again when the link is back, or at once after no answer came.
        o.kept = true;
        setWaiting(true);
        dispatch({ type: 'notice', notice: timedOut ? SLOW_MESSAGE : KEPT_MESSAGE });
        return timedOut ? 'resend' : null;
      }
      const engine = engineFor(latest.current.game.type);
      if ((e.code === 'stale_seq' || e.code === 'conflict') && retry) {
        // Stale seq: a takeback or a join landed first; conflict: the game was too busy to
        // take it. A repeat of this very request would have been answered from the key,
        // so the move did not land: if the position is unchanged and the move still
        // legal, try once more at the current seq (same key: the failed try stored nothing).
        try {
          const { game } = await api.game(gameId);
          dispatch({ type: 'snapshot', game });
          if (game.status === 'active' && game.moveCount === o.baseMoves && !engine?.illegalReason(game.state, o.move)) {
            o.expectedSeq = game.seq;
            return 'again';
          }
        } catch {
          /* fall through: it cannot apply as sent */
        }
      }
      const label = engine ? safeLabel(() => engine.describeMove(latest.current.game.state, o.move)) : null;
      fail(o.kept ? keptFailureNotice(e, label) : freshFailureNotice(e));
      return null;
    },
    [gameId, latest, dispatch, fail],
  );

  const send = useCallback(
    async (o: Outbound, retry = true): Promise<void> => {
      if (!token || !playerId || sending.current) return;
      sending.current = true;
      // What to do once this try is over: nothing, send again at once, or once more at a new seq.
      let next: 'resend' | 'again' | null = null;
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), MOVE_TIMEOUT_MS);
      try {
        const response = await api.move(gameId, o.move, o.expectedSeq, token, o.key, timeout.signal);
        outbox.current = null;
        // A kept move's notice goes (the page may not have rendered it into `latest` yet).
        if (o.kept || latest.current.notice === KEPT_MESSAGE || latest.current.notice === SLOW_MESSAGE) dispatch({ type: 'notice', notice: null });
        setWaiting(false);
        dispatch({ type: 'moved', response, move: o.move, playerId });
      } catch (err) {
        next = await refused(o, err as ApiError, timeout.signal.aborted, retry);
      } finally {
        clearTimeout(timer);
        sending.current = false;
      }
      // (After `finally`: the next try must not find `sending` still set.)
      if (next === 'again') await send(o, false);
      else if (next === 'resend' && outbox.current === o) await send(o, retry);
    },
    [token, playerId, gameId, latest, dispatch, refused],
  );

  const play = useCallback(
    async (input: unknown) => {
      const m = latest.current;
      if (!session || m.pending || outbox.current) return;
      const engine = engineFor(m.game.type);
      const parsed = Move.safeParse(input);
      if (!parsed.success) {
        dispatch({ type: 'notice', notice: 'That is not a move in this game.' });
        return;
      }
      const move = parsed.data;
      const why = engine?.illegalReason(m.game.state, move);
      if (why) {
        dispatch({ type: 'notice', notice: why });
        return;
      }
      dispatch({ type: 'optimistic', move });
      const o: Outbound = { move, key: newIdempotencyKey(), expectedSeq: m.game.seq, baseMoves: m.game.moveCount };
      outbox.current = o;
      await send(o);
    },
    [session, latest, dispatch, send],
  );

  // The link is back: the stream reopened, or the browser says so; and, while a move
  // waits, every few seconds (the API may come back before the stream does).
  const resend = useCallback(() => {
    if (outbox.current) void send(outbox.current);
  }, [send]);
  useEffect(() => {
    if (connOpen) resend();
  }, [connOpen, resend]);
  useEffect(() => {
    if (!waiting) return;
    window.addEventListener('online', resend);
    const t = setInterval(resend, RETRY_EVERY_MS);
    return () => {
      window.removeEventListener('online', resend);
      clearInterval(t);
    };
  }, [waiting, resend]);

  return { play, waiting };
}

function safeLabel(f: () => string): string | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/** A move refused as it was made: the server's reason, right beside the board. */
function freshFailureNotice(e: ApiError): string {
  return e.code === 'stale_seq' ? 'The board changed before your move landed. Try again.' : e.message;
}

/** A move kept through an outage that cannot apply any more: which one, and why. */
function keptFailureNotice(e: ApiError, label: string | null): string {
  const what = label ? `Your move ${label} was not played` : 'Your move was not played';
  switch (e.code) {
    case 'stale_seq':
      return `${what}: the position changed before it landed. The board shows the game as it is.`;
    case 'game_over':
      return `${what}: the game is over (${e.message}).`;
    default:
      return `${what}: ${e.message}`;
  }
}
