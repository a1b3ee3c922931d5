'use client';
// A game's rules may load on first need (chess: chess.js, its own chunk; see
// packages/shared/src/games/chess/rules.ts), so a tic-tac-toe page never downloads them.
// The game and replay pages render once their game's engine is complete: the move list's
// notation and the optimistic move need it.
import { useEffect, useState } from 'react';
import { engineLoaded, loadEngine } from '@monkeytown/shared/games';

export type EngineReady = 'ready' | 'loading' | 'failed';

export function useEngineReady(type: string): EngineReady {
  // Server render and hydration both start from "loading" for chess (nothing loads the
  // rules on the server), so the first client render matches the HTML.
  const [state, setState] = useState<EngineReady>(() => (engineLoaded(type) ? 'ready' : 'loading'));
  useEffect(() => {
    if (engineLoaded(type)) {
      setState('ready');
      return;
    }
    let live = true;
    loadEngine(type).then(
      () => live && setState('ready'),
      () => live && setState('failed'),
    );
    return () => {
      live = false;
    };
  }, [type]);
  return state;
}
