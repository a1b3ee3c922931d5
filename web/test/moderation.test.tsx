import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModerationView } from '../src/components/moderation/ModerationView';
import { SESSION_KEY, SessionProvider } from '../src/lib/session';

// Issue 26: the moderators' page. The server says who is a moderator (403 `forbidden` for
// anyone else); the page shows a moderator the open reports and closes one, and tells
// anyone else why there is nothing to see (with the id an operator would add).
const me = { playerId: '00000000-0000-4000-8000-000000000009', name: 'Mo', token: 'tok' };
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
const REPORT = {
  id: '00000000-0000-4000-8000-0000000000aa',
  game: { id: '11111111-1111-4111-8111-111111111111', type: 'chess' },
  reporter: { id: '00000000-0000-4000-8000-000000000001', name: 'Ann' },
  reported: { id: '00000000-0000-4000-8000-000000000002', name: 'Ben' },
  seq: 7,
  text: 'you are a f***ing idiot',
  reason: 'rude',
  createdAt: '2026-12-07T08:00:00.000Z',
};

vi.mock('next/link', () => ({ default: ({ href, children, ...rest }: { href: string; children: React.ReactNode }) => <a href={href} {...rest}>{children}</a> }));

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

function page(fetch: (url: string, init: RequestInit) => Promise<Response>) {
  localStorage.setItem(SESSION_KEY, JSON.stringify(me));
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => (url.endsWith('/players/me') ? json({ player: { id: me.playerId, name: 'Mo', kind: 'human', createdAt: '2026-01-01T00:00:00.000Z' }, ratings: [], recentGames: [] }) : fetch(url, init))));
  render(
    <SessionProvider>
      <ModerationView />
    </SessionProvider>,
  );
}

describe('the moderation page', () => {
  it('shows a moderator the open report — who, whom, the game, the line, why — and closes it with a note', async () => {
    const sent: { url: string; body: unknown }[] = [];
    page(async (url, init) => {
      if (init.method === 'POST') {
        sent.push({ url, body: JSON.parse(String(init.body)) });
        return json({ report: { id: REPORT.id, resolvedAt: '2026-12-07T09:00:00.000Z', resolvedBy: { id: me.playerId, name: 'Mo' }, note: 'warned' } });
      }
      return json({ reports: [REPORT] });
    });
    const list = await screen.findByRole('list', { name: 'Open reports' });
    const item = within(list).getByRole('listitem');
    expect(item.textContent).toMatch(/^Ann reported Ben in a Chess game, /);
    expect(within(item).getByRole('link', { name: 'Chess game' }).getAttribute('href')).toBe(`/games/${REPORT.game.id}`);
    expect(item.querySelector('blockquote')!.textContent).toBe('you are a f***ing idiot');
    expect(item.textContent).toContain('Why: rude');

    const user = userEvent.setup({ delay: null });
    await user.type(within(item).getByLabelText(/Note/), 'warned');
    await user.click(within(item).getByRole('button', { name: 'Close report' }));
    expect(await screen.findByText('No open reports.')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Closed the report on Ben.');
    expect(sent).toEqual([{ url: `/api/moderation/reports/${REPORT.id}/resolve`, body: { note: 'warned' } }]);
  });

  it('tells anyone else the page is for moderators, shows no report, and names their id', async () => {
    page(async () => json({ error: { code: 'forbidden', message: 'only moderators can see and close chat reports' } }, 403));
    const why = await screen.findByTestId('not-moderator');
    expect(why.textContent).toContain('This page is for moderators only.');
    expect(why.textContent).toContain(me.playerId);
    expect(screen.queryByRole('list', { name: 'Open reports' })).toBeNull();
  });
});
