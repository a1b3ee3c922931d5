'use client';
// The live-game commands of one page (issue 12): abort, draw / takeback / rematch offers
// and their answers, claiming a game the opponent left. Each names the seq the page saw
// and carries an Idempotency-Key, like a move; its answer is the game right after it (the
// events follow on the stream). A refusal is shown in the server's words.
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState, type Dispatch } from 'react';
import { commandAllowed } from '@monkeytown/shared/commands';
import type { GameSnapshot, OfferBody } from '@monkeytown/shared/schemas';
import { api, type ApiError, newIdempotencyKey } from '../../lib/api';
import type { GameAction, GameModel } from '../../lib/game-model';
import type { Session } from '../../lib/session';

type Answer = { game: GameSnapshot; rematch?: GameSnapshot };
type Command = (expectedSeq: number, key: string) => Promise<Answer>;

export const STALE_MESSAGE = 'The game changed before your request landed. Have a look and try again.';

/**
 * Both players' pages go to the rematch: the accepting page from its answer, the other
 * from the `rematch` event (or a snapshot with `rematchId`) that arrives while it is open.
 * A page opened on a game whose rematch already exists only links to it.
 */
function useRematchNavigation(model: GameModel, isPlayer: boolean) {
  const router = useRouter();
  const gone = useRef<string | null>(null);
  const loadedWith = useRef(model.game.rematchId);
  const go = useCallback(
    (id: string) => {
      if (gone.current === id) return;
      gone.current = id;
      router.push(`/games/${id}`);
    },
    [router],
  );
  const rematchId = model.game.rematchId;
  useEffect(() => {
    if (isPlayer && rematchId && rematchId !== loadedWith.current) go(rematchId);
  }, [isPlayer, rematchId, go]);
  return go;
}

export function useGameActions(model: GameModel, dispatch: Dispatch<GameAction>, session: Session | null, isPlayer: boolean) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(model);
  latest.current = model;
  const goToRematch = useRematchNavigation(model, isPlayer);
  const gameId = model.game.id;

  const run = useCallback(
    async (command: Command) => {
      if (!session) return;
      setBusy(true);
      setError(null);
      const take = (answer: Answer) => {
        dispatch({ type: 'snapshot', game: answer.game });
        if (answer.rematch) goToRematch(answer.rematch.id);
      };
      const before = latest.current.game;
      try {
        take(await command(before.seq, newIdempotencyKey()));
      } catch (err) {
        const e = err as ApiError;
        if (e.code !== 'stale_seq') {
          setError(e.message);
          return;
        }
        // Stale seq: often only a chat line or an offer answer landed first. If the board
        // is as the player saw it, ask once more at the new seq; otherwise let them look.
        try {
          const { game } = await api.game(gameId);
          dispatch({ type: 'snapshot', game });
          if (game.status !== before.status || game.moveCount !== before.moveCount) throw err;
          take(await command(game.seq, newIdempotencyKey()));
        } catch (again) {
          const a = again as ApiError;
          setError(a.code === 'stale_seq' ? STALE_MESSAGE : a.message);
        }
      } finally {
        setBusy(false);
      }
    },
    [session, dispatch, gameId, goToRematch],
  );

  const token = session?.token ?? '';
  const offer = useCallback(
    (offer: OfferBody['offer'], action: OfferBody['action']) =>
      run((expectedSeq, key) => api.offer(gameId, { offer, action, expectedSeq }, token, key)),
    [run, gameId, token],
  );
  const abort = useCallback(() => run((expectedSeq, key) => api.abort(gameId, expectedSeq, token, key)), [run, gameId, token]);
  const claim = useCallback(
    (outcome: 'win' | 'draw') => run((expectedSeq, key) => api.claim(gameId, { outcome, expectedSeq }, token, key)),
    [run, gameId, token],
  );
  return { busy, error, offer, abort, claim };
}

/**
 * Seconds until the viewer may claim a game the opponent left, or null while the
 * opponent is there (or nobody knows yet). The server says since when the opponent has had
 * no event stream open; a `since` ahead of this browser's clock counts from receipt.
 */
export function useClaimCountdown(model: GameModel, opponentId: string | null): number | null {
  const p = opponentId ? model.presence?.players.find((x) => x.playerId === opponentId) : undefined;
  const claimable = commandAllowed('claim', model.game.status);
  const deadline =
    claimable && p && !p.online && model.presence
      ? Math.min(Date.parse(p.since) || model.presence.at, model.presence.at) + model.game.claimAfterSeconds * 1000
      : null;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [deadline]);
  if (deadline === null) return null;
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}
