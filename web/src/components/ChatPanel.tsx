'use client';
// Game chat. Everything people type is rendered as text (React escapes it); nothing here
// ever injects HTML. Limits mirror the server's ChatText schema.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ChatEntry } from '../lib/game-model';

export const CHAT_MAX = 280;

export interface ChatPanelProps {
  messages: readonly ChatEntry[];
  myPlayerId: string | null;
  /** Null when the viewer may not chat (not signed in). */
  onSend: ((text: string) => Promise<void>) | null;
}

export function ChatPanel({ messages, myPlayerId, onSend }: ChatPanelProps) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const box = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [messages.length]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const t = text.trim();
    if (!t || !onSend) return;
    if (t.length > CHAT_MAX) {
      setError(`Messages are at most ${CHAT_MAX} characters.`);
      return;
    }
    setSending(true);
    setError(null);
    try {
      await onSend(t);
      setText('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="panel chat" aria-labelledby="chat-h">
      <h2 id="chat-h">Chat</h2>
      <ol ref={box} className="chat-list" aria-label="Chat messages" aria-live="polite">
        {messages.length === 0 && <li className="muted">No messages yet. Say hi to the troop!</li>}
        {messages.map((m) => (
          <li key={m.seq} data-mine={m.playerId === myPlayerId || undefined}>
            <span className="chat-name">{m.name}</span>
            <span className="chat-text">{m.text}</span>
          </li>
        ))}
      </ol>
      {onSend ? (
        <form className="chat-form" onSubmit={submit}>
          <label htmlFor="chat-input" className="sr-only">
            Chat message
          </label>
          <input
            id="chat-input"
            value={text}
            maxLength={CHAT_MAX}
            autoComplete="off"
            placeholder="Say something…"
            onChange={(e) => setText(e.target.value)}
            aria-describedby={error ? 'chat-error' : undefined}
          />
          <button type="submit" disabled={sending || !text.trim()}>
            Send
          </button>
          {error && (
            <p id="chat-error" className="error" role="alert">
              {error}
            </p>
          )}
        </form>
      ) : (
        <p className="muted">Pick a name in the lobby to chat.</p>
      )}
    </section>
  );
}
