// GameActions (issue 12) with the REST client and the router replaced by stand-ins and the
// page's real reducer behind it: offers made, received and answered; refusals shown; the
// opponent-left countdown (fake timers) and the claim; both pages moving to the rematch.
import { act, fireEvent, render, screen } from '@testing-library/react';
import { useReducer, type Dispatch } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GameSnapshot, SeatInfo } from '@monkeytown/shared/schemas';
import { gameReducer, initialModel, type FeedEvent, type GameAction } from '../src/lib/game-model';
import { HUMAN, snapshotAfter } from './fixtures';

const mocks = vi.hoisted(() => ({ api: { offer: vi.fn(), abort: vi.fn(), claim: vi.fn(), game: vi.fn() }, push: vi.fn() }));
vi.mock('../src/lib/api', async (orig) => ({ ...(await orig<typeof import('../src/lib/api')>()), api: mocks.api }));
vi.mock('next/navigation', () => ({ useRouter: () => ({ push: mocks.push }) }));
vi.mock('next/link', () => ({ default: ({ href, children, ...rest }: { href: string; children: React.ReactNode }) => <a href={href} {...rest}>{children}</a> }));
const { GameActions } = await import('../src/components/game/GameActions');
const { ApiError } = await import('../src/lib/api');

const BOB: SeatInfo = { seat: 1, playerId: '00000000-0000-4000-8000-00000000000b', name: 'Bob', kind: 'human', rating: 1500, provisional: false };
const ALICE = { playerId: HUMAN.playerId, name: 'Alice', token: 'tok' };
const people = (over: Partial<GameSnapshot> = {}, moves = [{ cell: 4 }, { cell: 0 }], seq = 4) =>
  snapshotAfter(moves, seq, { players: [HUMAN, BOB], agentThinking: false, ...over });

let dispatchRef: Dispatch<GameAction>;
function Page({ game, viewer }: { game: GameSnapshot; viewer: 'alice' | 'spectator' }) {
  const [model, dispatch] = useReducer(gameReducer, game, (g) => ({ ...initialModel(g), historySeq: g.seq, needsCatchUp: false }));
  dispatchRef = dispatch;
  return <GameActions model={model} dispatch={dispatch} mySeat={viewer === 'alice' ? 0 : null} session={viewer === 'alice' ? ALICE : null} />;
}
const live = (events: FeedEvent[]) => act(() => dispatchRef({ type: 'events', events, live: true }));
const news = () => screen.getByTestId('offer-news').textContent;
const click = (name: string | RegExp) => act(async () => void fireEvent.click(screen.getByRole('button', { name })));

describe('GameActions: offers', () => {
  beforeEach(() => vi.clearAllMocks());

  it('offers a draw with the seq it saw and an Idempotency-Key, then can withdraw it', async () => {
    const g = people();
    mocks.api.offer.mockResolvedValue({ game: { ...g, seq: 5, offers: { draw: 0, takeback: null, rematch: null } } });
    render(<Page game={g} viewer="alice" />);
    expect(screen.queryByRole('button', { name: 'Abort game' })).toBeNull(); // both sides moved
    await click('Offer draw');
    expect(mocks.api.offer).toHaveBeenCalledWith(g.id, { offer: 'draw', action: 'offer', expectedSeq: 4 }, 'tok', expect.stringMatching(/.{8,}/));
    expect(news()).toBe('You offered a draw.');
    expect(screen.getByRole('button', { name: 'Withdraw draw offer' })).toBeTruthy();
  });

  it('announces an incoming draw offer and accepts it', async () => {
    const g = people();
    render(<Page game={g} viewer="alice" />);
    await live([{ seq: 5, kind: 'offer', data: { offer: 'draw', action: 'offered', seat: 1 } }]);
    const region = screen.getByRole('status');
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent).toBe('Bob offers a draw.');
    mocks.api.offer.mockResolvedValue({ game: { ...g, seq: 7, status: 'finished', turn: null, result: { winner: null, reason: 'agreement' } } });
    await click('Accept draw');
    expect(mocks.api.offer).toHaveBeenCalledWith(g.id, { offer: 'draw', action: 'accept', expectedSeq: 5 }, 'tok', expect.any(String));
    expect(screen.queryByRole('button', { name: 'Accept draw' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Rematch' })).toBeTruthy();
  });

  it('tells the offerer their offer was declined, until the next move', async () => {
    render(<Page game={people()} viewer="alice" />);
    await live([
      { seq: 5, kind: 'offer', data: { offer: 'takeback', action: 'offered', seat: 0 } },
      { seq: 6, kind: 'offer', data: { offer: 'takeback', action: 'declined', seat: 1 } },
    ]);
    expect(news()).toBe('Bob declined the takeback request.');
  });

  it('shows the server’s reason for a refusal, and retries a stale seq once when the board is unchanged', async () => {
    const g = people();
    render(<Page game={g} viewer="alice" />);
    mocks.api.offer.mockRejectedValueOnce(new ApiError('forbidden', 'Only the players can do that.'));
    await click('Offer draw');
    expect(screen.getByRole('alert').textContent).toBe('Only the players can do that.');

    // 409: a chat line landed first; same board → one retry at the new seq, which succeeds.
    mocks.api.offer.mockReset();
    mocks.api.offer.mockRejectedValueOnce(new ApiError('stale_seq', 'stale')).mockResolvedValueOnce({ game: { ...g, seq: 6 } });
    mocks.api.game.mockResolvedValue({ game: { ...g, seq: 5 } });
    await click('Offer draw');
    expect(mocks.api.offer.mock.calls.map((c) => c[1].expectedSeq)).toEqual([4, 5]);
    expect(mocks.api.offer.mock.calls[0]![3]).not.toBe(mocks.api.offer.mock.calls[1]![3]);
    expect(screen.queryByRole('alert')).toBeNull();

    // 409 after a move: no retry, the player is told to look again.
    mocks.api.offer.mockReset();
    mocks.api.offer.mockRejectedValue(new ApiError('stale_seq', 'stale'));
    mocks.api.game.mockResolvedValue({ game: people({}, [{ cell: 4 }, { cell: 0 }, { cell: 8 }], 7) });
    await click('Offer draw');
    expect(mocks.api.offer).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('alert').textContent).toMatch(/changed before your request landed/);
  });

  it('aborts only before both sides moved; the troop grants a takeback at once', async () => {
    const g = people({ players: [HUMAN, { ...BOB, kind: 'agent', name: 'GuardianGorilla', agentId: 'guardiangorilla' }] }, [{ cell: 4 }], 3);
    mocks.api.abort.mockResolvedValue({ game: { ...g, seq: 4, status: 'finished', turn: null, result: { winner: null, reason: 'aborted' } } });
    render(<Page game={g} viewer="alice" />);
    expect(screen.getByRole('button', { name: 'Take back' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Ask to take back' })).toBeNull();
    await click('Abort game');
    expect(mocks.api.abort).toHaveBeenCalledWith(g.id, 3, 'tok', expect.any(String));
    expect(screen.queryByRole('button', { name: 'Abort game' })).toBeNull();
  });

  it('a spectator reads the offers and gets no buttons', async () => {
    render(<Page game={people()} viewer="spectator" />);
    await live([{ seq: 5, kind: 'offer', data: { offer: 'draw', action: 'offered', seat: 1 } }]);
    expect(news()).toBe('Bob offers a draw.');
    expect(screen.queryAllByRole('button')).toEqual([]);
  });
});

describe('GameActions: the opponent left', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    vi.useFakeTimers({ now: new Date('2026-11-30T12:00:00Z') });
  });
  afterEach(() => vi.useRealTimers());

  it('counts down claimAfterSeconds from when they left, then offers the claim', async () => {
    const g = people({ claimAfterSeconds: 17 });
    render(<Page game={g} viewer="alice" />);
    expect(screen.queryByTestId('claim-countdown')).toBeNull();
    const gone = [{ playerId: BOB.playerId, online: false, since: new Date().toISOString() }, { playerId: HUMAN.playerId, online: true, since: new Date().toISOString() }];
    act(() => dispatchRef({ type: 'presence', spectators: 0, players: gone, at: Date.now() }));
    expect(screen.getByRole('timer').textContent).toBe('Opponent left — you can claim the win in 17 s');
    expect(news()).toBe('Bob left the game.');
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(screen.getByRole('timer').textContent).toMatch(/in 7 s$/);
    expect(screen.queryByRole('button', { name: 'Claim win' })).toBeNull();
    await act(() => vi.advanceTimersByTimeAsync(7_000));
    expect(screen.queryByRole('timer')).toBeNull();
    mocks.api.claim.mockResolvedValue({ game: { ...g, seq: 5, status: 'finished', turn: null, result: { winner: 0, reason: 'left' } } });
    await click('Claim win');
    expect(mocks.api.claim).toHaveBeenCalledWith(g.id, { outcome: 'win', expectedSeq: 4 }, 'tok', expect.any(String));
    expect(screen.queryByRole('button', { name: 'Claim draw' })).toBeNull();
  });

  it('stops counting when the opponent comes back; a reconnecting page counts from `since`', async () => {
    render(<Page game={people({ claimAfterSeconds: 30 })} viewer="alice" />);
    const since = new Date(Date.now() - 20_000).toISOString();
    act(() => dispatchRef({ type: 'presence', spectators: 0, players: [{ playerId: BOB.playerId, online: false, since }], at: Date.now() }));
    expect(screen.getByRole('timer').textContent).toMatch(/in 10 s$/);
    act(() => dispatchRef({ type: 'presence', spectators: 0, players: [{ playerId: BOB.playerId, online: true, since: new Date().toISOString() }], at: Date.now() }));
    expect(screen.queryByRole('timer')).toBeNull();
    expect(news()).toBe('');
  });
});

describe('GameActions: rematch', () => {
  const over = (o: Partial<GameSnapshot> = {}) => people({ status: 'finished', turn: null, result: { winner: 1, reason: 'resign' }, ...o });
  beforeEach(() => vi.clearAllMocks());

  it('the accepting page goes to the new game from its answer', async () => {
    const g = over();
    render(<Page game={g} viewer="alice" />);
    await live([{ seq: 5, kind: 'offer', data: { offer: 'rematch', action: 'offered', seat: 1 } }]);
    expect(news()).toBe('Bob wants a rematch.');
    mocks.api.offer.mockResolvedValue({ game: { ...g, seq: 7, rematchId: 'new-game' }, rematch: { ...g, id: 'new-game' } });
    await click('Accept rematch');
    expect(mocks.api.offer).toHaveBeenCalledWith(g.id, { offer: 'rematch', action: 'accept', expectedSeq: 5 }, 'tok', expect.any(String));
    expect(mocks.push).toHaveBeenCalledTimes(1);
    expect(mocks.push).toHaveBeenCalledWith('/games/new-game');
  });

  it('the offering page goes there when the rematch event arrives', async () => {
    const g = over();
    mocks.api.offer.mockResolvedValue({ game: { ...g, seq: 5, offers: { draw: null, takeback: null, rematch: 0 } } });
    render(<Page game={g} viewer="alice" />);
    await click('Rematch');
    expect(news()).toBe('Rematch offered — waiting for Bob.');
    expect(mocks.push).not.toHaveBeenCalled();
    await live([
      { seq: 5, kind: 'offer', data: { offer: 'rematch', action: 'offered', seat: 0 } }, // our offer's event
      { seq: 6, kind: 'offer', data: { offer: 'rematch', action: 'accepted', seat: 1 } },
      { seq: 7, kind: 'rematch', data: { gameId: 'new-game' } },
    ]);
    expect(mocks.push).toHaveBeenCalledWith('/games/new-game');
  });

  it('a page opened on a game whose rematch exists links to it; a spectator is never moved', async () => {
    render(<Page game={over({ rematchId: 'old-rematch' })} viewer="alice" />);
    expect(screen.getByRole('link', { name: 'Go to the rematch' }).getAttribute('href')).toBe('/games/old-rematch');
    render(<Page game={over()} viewer="spectator" />);
    await live([{ seq: 5, kind: 'rematch', data: { gameId: 'g9' } }]);
    expect(screen.getByRole('link', { name: 'Watch the rematch' }).getAttribute('href')).toBe('/games/g9');
    expect(mocks.push).not.toHaveBeenCalled();
  });
});
