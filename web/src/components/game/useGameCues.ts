'use client';
// Sounds for what happens in a game: each move (the player's own at the click), the game
// starting, a winning line, an offer from the opponent and the end (win / loss / draw from
// the viewer's seat).
import { useEffect, useRef } from 'react';
import type { GameModel } from '../../lib/game-model';
import { installAudioUnlock, playCue } from '../../lib/sound';

export function useGameCues(model: GameModel, mySeat: number | null): void {
  const g = model.game;
  const played = Math.max(g.moveCount, model.moves.length) + (model.pending ? 1 : 0);
  const prev = useRef<{ played: number; status: string } | null>(null);

  useEffect(() => installAudioUnlock(), []);

  // An offer to the viewer (draw, takeback, rematch) sounds once, as it arrives: a player in
  // a fast game hears it without looking (GameActions announces it in words too).
  const offer = model.lastOffer;
  const heard = useRef(offer?.seq ?? 0);
  useEffect(() => {
    if (!offer || offer.seq <= heard.current) return;
    heard.current = offer.seq;
    if (offer.action === 'offered' && mySeat !== null && offer.seat !== mySeat) playCue('offer');
  }, [offer, mySeat]);

  useEffect(() => {
    const before = prev.current;
    prev.current = { played, status: g.status };
    if (!before) {
      // Opening a brand-new game of one's own: the start cue (history loads stay silent).
      if (g.status === 'active' && g.moveCount === 0 && mySeat !== null) playCue('start');
      return;
    }
    if (before.status === 'open' && g.status === 'active') playCue('start');
    if (played === before.played + 1) playCue(g.status === 'finished' && g.result?.line ? 'capture' : 'move');
    if (before.status !== 'finished' && g.status === 'finished') {
      const w = g.result?.winner ?? null;
      const cue = w === null ? 'draw' : mySeat === null || w === mySeat ? 'win' : 'loss';
      setTimeout(() => playCue(cue), 250);
    }
  }, [played, g.status, g.moveCount, g.result, mySeat]);
}
