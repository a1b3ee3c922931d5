'use client';
// The guest identity: created with one call (POST /api/players), kept in localStorage so a
// returning visitor is remembered. `ready` is false until the browser storage was read, so
// server and first client render agree (no hydration mismatch, no flash of the prompt).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError } from './api';

export const SESSION_KEY = 'monkeytown.session.v1';

export interface Session {
  playerId: string;
  name: string;
  token: string;
}

interface SessionContextValue {
  ready: boolean;
  session: Session | null;
  signIn: (name: string) => Promise<Session>;
  /** Change the display name (the server may add a tag when it is taken). */
  rename: (name: string) => Promise<Session>;
  /** Revoke this guest's token on the server and forget it here: the next sign-in is a new guest. */
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

function readStored(): Session | null {
  try {
    const raw = window.localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<Session>;
    return typeof s.playerId === 'string' && typeof s.token === 'string' && typeof s.name === 'string'
      ? { playerId: s.playerId, token: s.token, name: s.name }
      : null;
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [ready, setReady] = useState(false);
  const [session, setSession] = useState<Session | null>(null);

  useEffect(() => {
    const stored = readStored();
    setSession(stored);
    setReady(true);
    // A token the server no longer accepts (secret rotated, data reset) would leave the
    // visitor stuck: check it once, and forget it when refused (`unauthorized`) so the name
    // prompt comes back. Any other failure (network, a fault) keeps it.
    if (stored) {
      api.me(stored.token).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'unauthorized') {
          try {
            window.localStorage.removeItem(SESSION_KEY);
          } catch {
            /* ignore */
          }
          setSession((cur) => (cur?.token === stored.token ? null : cur));
        }
      });
    }
    // Another tab signed in or out: follow it.
    const onStorage = (e: StorageEvent) => {
      if (e.key === SESSION_KEY) setSession(readStored());
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const remember = useCallback((s: Session | null) => {
    try {
      if (s) window.localStorage.setItem(SESSION_KEY, JSON.stringify(s));
      else window.localStorage.removeItem(SESSION_KEY);
    } catch {
      /* private mode: the session lasts for this tab */
    }
    setSession(s);
  }, []);

  const signIn = useCallback(async (name: string) => {
    const res = await api.createPlayer(name);
    const s: Session = { playerId: res.player.id, name: res.player.name, token: res.token };
    remember(s);
    return s;
  }, [remember]);

  const rename = useCallback(async (name: string) => {
    if (!session) throw new ApiError('unauthorized', 'Sign in first.');
    const res = await api.rename(name, session.token);
    const s: Session = { ...session, name: res.player.name };
    remember(s);
    return s;
  }, [session, remember]);

  const signOut = useCallback(async () => {
    const token = session?.token;
    remember(null);
    // Best effort: a server that cannot be reached still leaves this browser signed out.
    if (token) await api.signOut(token).catch(() => undefined);
  }, [session, remember]);

  const value = useMemo(() => ({ ready, session, signIn, rename, signOut }), [ready, session, signIn, rename, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
