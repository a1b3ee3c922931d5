'use client';
// The guest's own corner of the header: profile link, rename, sign out. Rename follows the
// server's rules (it may refuse a troop look-alike, or add a tag to a taken name) and
// shows its message; sign out revokes the token, and the name prompt greets a new guest.
import Link from 'next/link';
import { useId, useState, type FormEvent } from 'react';
import { useSession } from '../lib/session';
import { NAME_MAX } from './NamePrompt';

export function AccountMenu() {
  const { ready, session, rename, signOut } = useSession();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const panelId = useId();
  if (!ready || !session) return null;

  const toggle = () => {
    setOpen((o) => !o);
    setName(session.name);
    setError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await rename(name.trim());
      setOpen(false);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="account" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button type="button" className="linklike me" aria-expanded={open} aria-controls={panelId} onClick={toggle}>
        {session.name}
      </button>
      {open && (
        <div id={panelId} className="account-panel panel">
          <Link href={`/players/${session.playerId}`} onClick={() => setOpen(false)}>
            Your profile
          </Link>
          <form onSubmit={submit} className="row">
            <label htmlFor={`${panelId}-name`}>Name</label>
            <input
              id={`${panelId}-name`}
              value={name}
              maxLength={NAME_MAX}
              autoComplete="nickname"
              onChange={(e) => setName(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${panelId}-error` : undefined}
            />
            <button type="submit" disabled={busy || !name.trim()}>
              {busy ? 'Saving…' : 'Rename'}
            </button>
          </form>
          {error && (
            <p id={`${panelId}-error`} className="error" role="alert">
              {error}
            </p>
          )}
          <button type="button" onClick={() => void signOut().then(() => setOpen(false))}>
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}
