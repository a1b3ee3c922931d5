import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountMenu } from '../src/components/AccountMenu';
import { SESSION_KEY, SessionProvider } from '../src/lib/session';

const stored = { playerId: '00000000-0000-4000-8000-000000000001', name: 'Ana', token: 'tok' };
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
/** A player as the server answers it (the client checks the route's schema). */
const player = (name: string) => ({ id: stored.playerId, name, kind: 'human', createdAt: '2026-01-01T00:00:00.000Z' });

vi.mock('next/link', () => ({ default: ({ href, children, ...rest }: { href: string; children: React.ReactNode }) => <a href={href} {...rest}>{children}</a> }));

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('AccountMenu', () => {
  it('renames, shows the server’s refusal, and signs out', { timeout: 30_000 }, async () => {
    localStorage.setItem(SESSION_KEY, JSON.stringify(stored));
    const fetch = vi.fn(async (url: string, init: RequestInit) => {
      if (init.method === 'PATCH') {
        const { name } = JSON.parse(String(init.body)) as { name: string };
        return name === 'ChampionChimp'
          ? json({ error: { code: 'name_unavailable', message: '"ChampionChimp" is too close to ChampionChimp, a Monkeytown name: pick another' } }, 409)
          : json({ player: player(name) });
      }
      return url.endsWith('/sign-out') ? json({ signedOut: true }) : json({ player: player('Ana'), ratings: [], recentGames: [] });
    });
    vi.stubGlobal('fetch', fetch);
    const user = userEvent.setup({ delay: null });
    render(<SessionProvider><AccountMenu /></SessionProvider>);

    await user.click(await screen.findByRole('button', { name: 'Ana' }));
    const input = screen.getByLabelText('Name');
    await user.clear(input);
    await user.type(input, 'ChampionChimp');
    await user.click(screen.getByRole('button', { name: 'Rename' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/too close to ChampionChimp/);
    expect(input.getAttribute('aria-invalid')).toBe('true');

    await user.clear(input);
    await user.type(input, 'Bea');
    await user.click(screen.getByRole('button', { name: 'Rename' }));
    expect(await screen.findByRole('button', { name: 'Bea' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Bea' }));
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Bea' })).toBeNull());
    expect(fetch.mock.calls.some(([url]) => url === '/api/players/me/sign-out')).toBe(true);
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
  });
});
