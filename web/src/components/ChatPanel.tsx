'use client';
// Game chat. Everything people type is rendered as text (React escapes it); nothing here
// ever injects HTML. Limits mirror the server's ChatText schema. Manners (issue 26): the
// viewer can mute a player (their lines hidden here only, remembered in this browser) and
// report a line to the moderators; the server's limits and word filter do the rest, and
// a refused line shows the server's message ("slow down: …").
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutedPlayers } from '../lib/chat-mutes';
import type { ChatEntry } from '../lib/game-model';

export const CHAT_MAX = 280;

export interface ChatPanelProps {
  messages: readonly ChatEntry[];
  myPlayerId: string | null;
  /** Null when the viewer may not chat (not signed in). */
  onSend: ((text: string) => Promise<void>) | null;
  /** Reports a player's line to the moderators; null when the viewer may not (not signed in). */
  onReport?: ((playerId: string, seq: number) => Promise<void>) | null;
}

export function ChatPanel({ messages, myPlayerId, onSend, onReport = null }: ChatPanelProps) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [reported, setReported] = useState<ReadonlySet<number>>(new Set());
  const { muted, mute, unmute } = useMutedPlayers();
  const box = useRef<HTMLOListElement>(null);
  const shown = messages.filter((m) => !muted.has(m.playerId));
  // The muted players who spoke here, by name (to unmute them).
  const mutedHere = [...new Map(messages.filter((m) => muted.has(m.playerId)).map((m) => [m.playerId, m.name])).entries()];
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown.length]);

  const report = async (m: ChatEntry) => {
    if (!onReport) return;
    try {
      await onReport(m.playerId, m.seq);
      setReported((r) => new Set(r).add(m.seq));
      setNote(`Thanks: ${m.name}'s message was reported to the moderators.`);
    } catch (err) {
      setNote((err as Error).message);
    }
  };

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
        {shown.length === 0 && <li className="muted">No messages yet. Say hi to the troop!</li>}
        {shown.map((m) => (
          <li key={m.seq} data-mine={m.playerId === myPlayerId || undefined} data-player={m.playerId}>
            <span className="chat-name">{m.name}</span>
            <span className="chat-text">{m.text}</span>
            {m.playerId !== myPlayerId && (
              <span className="chat-tools">
                <button type="button" className="linklike chat-tool" aria-label={`Mute ${m.name}`} onClick={() => mute(m.playerId)}>
                  Mute
                </button>
                {onReport && (
                  <button type="button" className="linklike chat-tool" aria-label={`Report ${m.name}'s message`} disabled={reported.has(m.seq)} onClick={() => void report(m)}>
                    {reported.has(m.seq) ? 'Reported' : 'Report'}
                  </button>
                )}
              </span>
            )}
          </li>
        ))}
      </ol>
      {mutedHere.length > 0 && (
        <p className="chat-muted muted">
          Muted here:{' '}
          {mutedHere.map(([id, name]) => (
            <button key={id} type="button" className="linklike chat-tool" aria-label={`Unmute ${name}`} onClick={() => unmute(id)}>
              {name} (unmute)
            </button>
          ))}
        </p>
      )}
      {note && (
        <p className="chat-note muted" role="status">
          {note}
        </p>
      )}
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
