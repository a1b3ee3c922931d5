import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SESSION_KEY, SessionProvider, useSession } from '../src/lib/session';

function Who() {
  const { ready, session } = useSession();
  return <p data-testid="who">{!ready ? 'loading' : session ? session.name : 'nobody'}</p>;
}

const stored = { playerId: '00000000-0000-4000-8000-000000000001', name: 'Ana', token: 'tok' };
/** The server's answers, in the route table's shapes (the client checks them). */
const player = (name: string) => ({ id: stored.playerId, name, kind: 'human', createdAt: '2026-01-01T00:00:00.000Z' });
const profile = JSON.stringify({ player: player('Ana'), ratings: [], recentGames: [] });

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('SessionProvider', () => {
  it('remembers a returning guest whose token still works', async () => {
    localStorage.setItem(SESSION_KEY, JSON.stringify(stored));
    const fetch = vi.fn().mockResolvedValue(new Response(profile, { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    render(<SessionProvider><Who /></SessionProvider>);
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    expect(fetch.mock.calls[0]![0]).toBe('/api/players/me');
    expect(fetch.mock.calls[0]![1].headers.authorization).toBe('Bearer tok');
    expect(screen.getByTestId('who').textContent).toBe('Ana');
  });

  it('forgets a token the server refuses, so the name prompt comes back', async () => {
    localStorage.setItem(SESSION_KEY, JSON.stringify(stored));
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'bad token' } }), { status: 401 })));
    render(<SessionProvider><Who /></SessionProvider>);
    await waitFor(() => expect(screen.getByTestId('who').textContent).toBe('nobody'));
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
  });

  it('keeps the session when the server is just unreachable', async () => {
    localStorage.setItem(SESSION_KEY, JSON.stringify(stored));
    const fetch = vi.fn().mockRejectedValue(new TypeError('network down'));
    vi.stubGlobal('fetch', fetch);
    render(<SessionProvider><Who /></SessionProvider>);
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId('who').textContent).toBe('Ana');
  });
});

describe('rename and sign out', () => {
  function Account() {
    const { session, rename, signOut } = useSession();
    return (
      <div>
        <p data-testid="who">{session ? session.name : 'nobody'}</p>
        <button onClick={() => void rename('Bea').catch(() => undefined)}>rename</button>
        <button onClick={() => void signOut()}>out</button>
      </div>
    );
  }

  it('renames through PATCH /api/players/me and keeps the name the server chose', async () => {
    localStorage.setItem(SESSION_KEY, JSON.stringify(stored));
    const fetch = vi.fn(async (url: string, init: RequestInit) =>
      url === '/api/players/me' && init.method === 'PATCH'
        ? new Response(JSON.stringify({ player: player('Bea #1A2B') }), { status: 200 })
        : new Response(profile, { status: 200 }),
    );
    vi.stubGlobal('fetch', fetch);
    render(<SessionProvider><Account /></SessionProvider>);
    await waitFor(() => expect(screen.getByTestId('who').textContent).toBe('Ana'));
    screen.getByText('rename').click();
    await waitFor(() => expect(screen.getByTestId('who').textContent).toBe('Bea #1A2B'));
    const patch = fetch.mock.calls.find(([, init]) => init.method === 'PATCH')!;
    expect(JSON.parse(String(patch[1].body))).toEqual({ name: 'Bea' });
    expect((patch[1].headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(JSON.parse(localStorage.getItem(SESSION_KEY)!).name).toBe('Bea #1A2B');
  });

  it('signs out: revokes the token on the server and forgets it here', async () => {
    localStorage.setItem(SESSION_KEY, JSON.stringify(stored));
    const fetch = vi.fn(async (url: string) => new Response(url.endsWith('/sign-out') ? JSON.stringify({ signedOut: true }) : profile, { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    render(<SessionProvider><Account /></SessionProvider>);
    await waitFor(() => expect(screen.getByTestId('who').textContent).toBe('Ana'));
    screen.getByText('out').click();
    await waitFor(() => expect(screen.getByTestId('who').textContent).toBe('nobody'));
    await waitFor(() => expect(fetch.mock.calls.some(([url]) => url === '/api/players/me/sign-out')).toBe(true));
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
  });
});
