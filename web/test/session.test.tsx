import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SESSION_KEY, SessionProvider, useSession } from '../src/lib/session';

function Who() {
  const { ready, session } = useSession();
  return <p data-testid="who">{!ready ? 'loading' : session ? session.name : 'nobody'}</p>;
}

const stored = { playerId: '00000000-0000-4000-8000-000000000001', name: 'Ana', token: 'tok' };

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('SessionProvider', () => {
  it('remembers a returning guest whose token still works', async () => {
    localStorage.setItem(SESSION_KEY, JSON.stringify(stored));
    const fetch = vi.fn().mockResolvedValue(new Response(JSON.stringify({ player: {} }), { status: 200 }));
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
