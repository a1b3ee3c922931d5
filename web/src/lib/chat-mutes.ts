// Muting in game chat is each viewer's own choice (issue 26): the muted players' lines are
// hidden on this browser only — the server and everyone else still have them. Kept in
// localStorage so a mute holds across games and reloads; a browser that blocks storage
// still mutes for the page.
import { useCallback, useEffect, useState } from 'react';

export const MUTED_KEY = 'monkeytown:chat-muted';
const CHANGED = 'monkeytown:chat-muted';

/** The muted players' ids as stored (an unreadable entry is no mutes). */
export function loadMuted(): string[] {
  if (typeof window === 'undefined') return [];
  try {
    const v: unknown = JSON.parse(window.localStorage.getItem(MUTED_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function save(ids: readonly string[]): void {
  try {
    window.localStorage.setItem(MUTED_KEY, JSON.stringify(ids));
  } catch {
    // not remembered, still applied for this page
  }
  window.dispatchEvent(new Event(CHANGED));
}

/** The viewer's muted players and how to change them (every open chat on the page follows). */
export function useMutedPlayers(): { muted: ReadonlySet<string>; mute(id: string): void; unmute(id: string): void } {
  const [ids, setIds] = useState<string[]>([]);
  useEffect(() => {
    const read = () => setIds(loadMuted());
    read();
    window.addEventListener(CHANGED, read);
    window.addEventListener('storage', read); // another tab
    return () => {
      window.removeEventListener(CHANGED, read);
      window.removeEventListener('storage', read);
    };
  }, []);
  const mute = useCallback((id: string) => save([...loadMuted().filter((x) => x !== id), id]), []);
  const unmute = useCallback((id: string) => save(loadMuted().filter((x) => x !== id)), []);
  return { muted: new Set(ids), mute, unmute };
}
