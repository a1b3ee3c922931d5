'use client';
// The tab says who is playing and whose turn it is ("Your turn · vs ChampionChimp ·
// Tic-tac-toe"), with a dot in front while it is your move and the tab is in the background.
import { useEffect, useState } from 'react';
import type { GameSnapshot } from '@monkeytown/shared/schemas';

export function gameTitle(g: GameSnapshot, mySeat: number | null, myTurn: boolean, typeTitle: string, hidden: boolean): string {
  const name = (seat: number) => g.players.find((p) => p.seat === seat)?.name ?? '…';
  let head: string;
  if (mySeat === null) head = `${name(0)} vs ${name(1)}`;
  else {
    const vs = `vs ${name(1 - mySeat)}`;
    if (g.status === 'open') head = `Waiting for an opponent`;
    else if (g.status === 'finished') head = `${g.result?.winner === null || g.result?.winner === undefined ? 'Draw' : g.result.winner === mySeat ? 'You won' : 'You lost'} · ${vs}`;
    else head = myTurn ? `Your turn · ${vs}` : `${vs}`;
  }
  return `${myTurn && hidden ? '● ' : ''}${head} · ${typeTitle} · Monkeytown`;
}

export function useGameTitle(g: GameSnapshot, mySeat: number | null, myTurn: boolean, typeTitle: string): void {
  const [hidden, setHidden] = useState(false);
  useEffect(() => {
    const update = () => setHidden(document.visibilityState === 'hidden');
    update();
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  const title = gameTitle(g, mySeat, myTurn, typeTitle, hidden);
  useEffect(() => {
    const apply = () => {
      if (document.title !== title) document.title = title;
    };
    apply();
    // Next streams the page's metadata <title> in after hydration: keep ours on top of it.
    const watch = new MutationObserver(apply);
    watch.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => watch.disconnect();
  }, [title]);
}
