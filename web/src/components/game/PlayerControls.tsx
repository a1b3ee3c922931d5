'use client';
// The viewer's own buttons beside the offers: join an open seat, copy the link for a
// friend, resign (with a confirmation), and MentorOrangutan's hint.
import Link from 'next/link';
import { useState } from 'react';
import { commandAllowed } from '@monkeytown/shared/commands';
import type { GameSnapshot, Seat } from '@monkeytown/shared/schemas';
import type { Session } from '../../lib/session';
import { HintButton } from './HintButton';

/** Waiting for a person: the seat is in the lobby, and the link can be sent to a friend. */
function CopyLink() {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={() => {
        void navigator.clipboard?.writeText(window.location.href).then(() => setCopied(true), () => setCopied(false));
      }}
    >
      <span aria-hidden="true">🔗</span> {copied ? 'Link copied' : 'Copy link for a friend'}
    </button>
  );
}

interface Props {
  game: GameSnapshot;
  mySeat: Seat | null;
  session: Session | null;
  busy: boolean;
  /** MentorOrangutan may be asked now. */
  hintable: boolean;
  hintBusy: boolean;
  onHint: () => void;
  onJoin: () => void;
  /** Resolves true once resigned (the confirmation closes). */
  onResign: () => Promise<boolean>;
}

export function PlayerControls({ game: g, mySeat, session, busy, hintable, hintBusy, onHint, onJoin, onResign }: Props) {
  const [confirmResign, setConfirmResign] = useState(false);
  // What may be sent now is the shared lifecycle table's call (the server checks the same).
  const joinable = commandAllowed('join', g.status);
  const inPlay = commandAllowed('move', g.status);
  return (
    <div className="game-actions">
      {hintable && <HintButton busy={hintBusy} onAsk={onHint} />}
      {joinable && session && mySeat === null && (
        <button type="button" className="primary" disabled={busy} onClick={onJoin}>
          Join this game
        </button>
      )}
      {joinable && !session && <Link href="/">Pick a name in the lobby to join.</Link>}
      {joinable && mySeat !== null && <CopyLink />}
      {/* Resigning an open game would cancel it: the button is for a game in play. */}
      {inPlay && commandAllowed('resign', g.status) && mySeat !== null && session &&
        (confirmResign ? (
          <>
            <span>Resign this game?</span>
            <button type="button" className="danger" disabled={busy} onClick={() => void onResign().then((done) => done && setConfirmResign(false))}>
              Yes, resign
            </button>
            <button type="button" onClick={() => setConfirmResign(false)}>
              Keep playing
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirmResign(true)}>
            Resign
          </button>
        ))}
    </div>
  );
}
