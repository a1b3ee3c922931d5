import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { LiveGames, OpenGames, RecentGames } from '../src/components/lobby/GameLists';
import { AGENT, HUMAN, snapshot } from './fixtures';

const summary = (over: Parameters<typeof snapshot>[0]) => {
  const { state: _s, legalMoves: _l, agentThinking: _a, clockState: _cs, offers: _o, rematchId: _r, claimAfterSeconds: _ca, ...rest } = snapshot(over);
  return rest;
};

describe('lobby lists', () => {
  it('offers Resume for your own live game and Watch for others', () => {
    const mine = summary({ id: '11111111-1111-4111-8111-000000000001' });
    const theirs = summary({ id: '11111111-1111-4111-8111-000000000002', players: [{ ...HUMAN, playerId: '00000000-0000-4000-8000-0000000000ff', name: 'Zed' }, AGENT], spectators: 2, updatedAt: new Date().toISOString() });
    render(<LiveGames games={[mine, theirs]} myId={HUMAN.playerId} />);
    expect(screen.getByRole('link', { name: /Resume/ }).getAttribute('href')).toBe(`/games/${mine.id}`);
    const watch = screen.getByRole('link', { name: /Watch Zed vs/ });
    expect(watch.getAttribute('href')).toBe(`/games/${theirs.id}`);
    expect(watch.textContent).toContain('2');
  });

  it('leaves out games nobody has touched for ten minutes, except your own', () => {
    const zed = { ...HUMAN, playerId: '00000000-0000-4000-8000-0000000000ff', name: 'Zed' };
    const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
    const fresh = summary({ id: '11111111-1111-4111-8111-000000000003', players: [zed, AGENT], updatedAt: ago(2) });
    const dead = summary({ id: '11111111-1111-4111-8111-000000000004', players: [{ ...zed, name: 'Yuri' }, AGENT], updatedAt: ago(25) });
    const mineIdle = summary({ id: '11111111-1111-4111-8111-000000000005', updatedAt: ago(25) });
    render(<LiveGames games={[fresh, dead, mineIdle]} myId={HUMAN.playerId} />);
    expect(screen.getByRole('link', { name: /Watch Zed vs/ })).toBeTruthy();
    expect(screen.queryByRole('link', { name: /Yuri/ })).toBeNull();
    expect(screen.getByRole('link', { name: /Resume/ }).getAttribute('href')).toBe(`/games/${mineIdle.id}`);
  });

  it("joins someone's open seat, and shows names with markup as text", async () => {
    const onJoin = vi.fn();
    const host = { ...HUMAN, playerId: '00000000-0000-4000-8000-0000000000aa', name: '<img src=x onerror=alert(1)>' };
    const open = summary({ status: 'open', turn: null, type: 'connect4', players: [host] });
    const { container } = render(<OpenGames games={[open]} myId={HUMAN.playerId} onJoin={onJoin} busyId={null} />);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: /Join .*Connect four game/ }));
    expect(onJoin).toHaveBeenCalledWith(open);
  });

  it('links finished games to their replay with the winner', () => {
    const done = summary({ status: 'finished', turn: null, result: { winner: 1, reason: 'win' } });
    render(<RecentGames games={[done]} />);
    expect(screen.getByRole('link', { name: /Replay/ }).getAttribute('href')).toBe(`/games/${done.id}/replay`);
    expect(screen.getByText(/MentorOrangutan won/)).toBeTruthy();
  });
});
