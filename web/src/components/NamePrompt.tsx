'use client';
// First visit: the only thing we ask is a name. Mirrors the server's PlayerName rules and
// shows the server's message when it refuses one.
import { useState, type FormEvent } from 'react';
import { useSession } from '../lib/session';

export const NAME_MAX = 24;

export function NamePrompt({ onSkip }: { onSkip?: () => void }) {
  const { signIn } = useSession();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = name.trim();
    if (!n) {
      setError('Pick a name so the troop knows who they are playing.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(n);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="name-prompt panel"
      onSubmit={submit}
      role="dialog"
      aria-modal="true"
      aria-labelledby="name-h"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && onSkip) onSkip();
      }}
    >
      <h2 id="name-h">Welcome to Monkeytown 🐒</h2>
      <p>What should the troop call you?</p>
      <div className="row">
        <label htmlFor="guest-name" className="sr-only">
          Your name
        </label>
        <input
          id="guest-name"
          name="name"
          value={name}
          maxLength={NAME_MAX}
          autoComplete="nickname"
          placeholder="Your name"
          onChange={(e) => setName(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'name-error' : undefined}
          autoFocus
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Joining…' : "Let's play"}
        </button>
      </div>
      {onSkip && (
        <button type="button" className="linklike skip" onClick={onSkip}>
          Just watch for now
        </button>
      )}
      {error && (
        <p id="name-error" className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
