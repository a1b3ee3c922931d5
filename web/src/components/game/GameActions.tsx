'use client';
// A live game's offers and exits (issue 12): abort before both sides moved, draw and
// takeback offers with their answers, rematch as an offer to the same opponent (both
// pages move to the new game), and claiming the game when the opponent has left.
// Incoming offers and the opponent leaving are announced in a polite live region; every
// action is a real button.
import Link from 'next/link';
import type { Dispatch, ReactNode } from 'react';
import type { Offers, Seat, SeatInfo } from '@monkeytown/shared/schemas';
import type { GameAction, GameModel } from '../../lib/game-model';
import { commandAllowed, otherSeat, type GameCommand } from '@monkeytown/shared/commands';
import type { Session } from '../../lib/session';
import { useClaimCountdown, useGameActions } from './useGameActions';

const WHAT: Record<keyof Offers, string> = { draw: 'draw offer', takeback: 'takeback request', rematch: 'rematch offer' };

/** What the offers say right now, in words for the viewer (player or spectator). */
function offerNews(model: GameModel, mySeat: Seat | null, name: (seat: Seat) => string): string[] {
  const g = model.game;
  const news: string[] = [];
  const who = (seat: Seat) => (seat === mySeat ? 'You' : name(seat));
  const { draw, takeback, rematch } = g.offers;
  if (g.status === 'active') {
    if (draw !== null) news.push(draw === mySeat ? 'You offered a draw.' : `${who(draw)} offers a draw.`);
    if (takeback !== null)
      news.push(takeback === mySeat ? 'You asked to take back your last move.' : `${who(takeback)} asks to take back their last move.`);
  }
  if (g.status === 'finished' && !g.rematchId && rematch !== null)
    news.push(rematch === mySeat ? `Rematch offered — waiting for ${name(otherSeat(rematch))}.` : `${who(rematch)} wants a rematch.`);
  // An answer stays visible until the next move (or the next offer) makes it old news.
  const last = model.lastOffer;
  const lastMoveSeq = model.moves[model.moves.length - 1]?.seq ?? 0;
  if (last && last.seq > lastMoveSeq && news.length === 0 && (last.action === 'declined' || last.action === 'cancelled')) {
    const verb = last.action === 'declined' ? 'declined' : 'withdrew';
    news.push(`${who(last.seat)} ${verb} the ${WHAT[last.offer]}.`);
  }
  return news;
}

interface Props {
  model: GameModel;
  dispatch: Dispatch<GameAction>;
  mySeat: Seat | null;
  session: Session | null;
  /** The viewer's own buttons (join, resign, hint), on the same row as the offers. */
  children?: ReactNode;
}

export function GameActions({ model, dispatch, mySeat, session, children }: Props) {
  const g = model.game;
  const isPlayer = mySeat !== null && session !== null;
  const { busy, error, offer, abort, claim } = useGameActions(model, dispatch, session, isPlayer);
  const opponent: SeatInfo | undefined = mySeat === null ? undefined : g.players.find((p) => p.seat !== mySeat);
  const human = opponent?.kind === 'human';
  const countdown = useClaimCountdown(model, isPlayer && human ? opponent.playerId : null);
  const name = (seat: Seat) => g.players.find((p) => p.seat === seat)?.name ?? `Seat ${seat + 1}`;
  const news = offerNews(model, mySeat, name);
  if (countdown !== null && opponent) news.push(`${opponent.name} left the game.`);

  const other = mySeat === null ? null : otherSeat(mySeat);
  // A player facing an opponent may send what the shared lifecycle table allows in this status.
  const may = (command: GameCommand) => isPlayer && opponent !== undefined && commandAllowed(command, g.status);
  const finished = g.status === 'finished' && g.players.length === 2;
  // Seat 0 has a move on the board after the first ply, seat 1 after the second.
  const iHaveMoved = mySeat !== null && g.moveCount > mySeat;
  const b = (label: string, onClick: () => void, cls?: string) => (
    <button type="button" className={cls} disabled={busy} onClick={onClick}>
      {label}
    </button>
  );
  /** One offer's buttons: answer the opponent's, withdraw ours, or make it (`make` null: not now). */
  const offerButtons = (kind: keyof Offers, make: string | null, cls?: string) => {
    const standing = g.offers[kind];
    if (standing === other)
      return (
        <>
          {b(`Accept ${kind}`, () => void offer(kind, 'accept'), 'primary')}
          {b(`Decline ${kind}`, () => void offer(kind, 'decline'))}
        </>
      );
    if (standing === mySeat) return b(`Withdraw ${WHAT[kind]}`, () => void offer(kind, 'cancel'));
    return make && b(make, () => void offer(kind, 'offer'), cls);
  };

  return (
    <div className="live-actions" data-testid="live-actions">
      <p className="offer-news" role="status" aria-live="polite" data-testid="offer-news">
        {news.join(' ')}
      </p>
      <div className="live-buttons">
        {may('abort') && g.moveCount < 2 && b('Abort game', () => void abort())}
        {may('offer.draw') && offerButtons('draw', 'Offer draw')}
        {may('offer.takeback') && offerButtons('takeback', iHaveMoved ? (human ? 'Ask to take back' : 'Take back') : null)}
        {may('claim') && countdown !== null && countdown > 0 && (
          <span className="claim-timer" role="timer" data-testid="claim-countdown">
            Opponent left — you can claim the win in {countdown} s
          </span>
        )}
        {may('claim') && countdown === 0 && (
          <>
            {b('Claim win', () => void claim('win'), 'primary')}
            {b('Claim draw', () => void claim('draw'))}
          </>
        )}
        {finished && g.rematchId && (
          <Link className="button primary-link" href={`/games/${g.rematchId}`}>
            {isPlayer ? 'Go to the rematch' : 'Watch the rematch'}
          </Link>
        )}
        {may('offer.rematch') && !g.rematchId && offerButtons('rematch', 'Rematch', 'primary')}
        {children}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
