'use client';
// MentorOrangutan offers hints: a strong move for the player, explained as a lesson. The
// search runs here, in the browser, with the shared AI (loaded only when asked for, so it
// costs nothing on first load).
import { useEffect, useState } from 'react';
import type { GameType } from '@monkeytown/shared/schemas';

export interface Hint {
  move: unknown;
  text: string;
}

export function useHint(type: GameType, state: unknown, moveCount: number) {
  const [hint, setHint] = useState<Hint | null>(null);
  const [busy, setBusy] = useState(false);
  // A hint is about one position: forget it when the position changes.
  useEffect(() => setHint(null), [moveCount]);
  const ask = async () => {
    setBusy(true);
    try {
      const [ai, games] = await Promise.all([import('@monkeytown/shared/ai'), import('@monkeytown/shared/games')]);
      await games.loadEngine(type); // the chess reason's notation needs chess.js (loaded on first need)
      // Yield a frame so "Thinking…" paints before the (short) search.
      await new Promise((r) => setTimeout(r, 16));
      const r = ai.hint({ type, state, seed: moveCount } as Parameters<typeof ai.hint>[0]);
      setHint({ move: r.move, text: r.text });
    } catch (err) {
      setHint({ move: null, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return { hint, busy, ask };
}

export function HintButton({ busy, onAsk }: { busy: boolean; onAsk: () => void }) {
  return (
    <button type="button" className="hint-button" onClick={onAsk} disabled={busy}>
      <span aria-hidden="true">💡</span> {busy ? 'Thinking…' : 'Hint from MentorOrangutan'}
    </button>
  );
}
