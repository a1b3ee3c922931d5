import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ChatPanel } from '../src/components/ChatPanel';
import { ConnectionIndicator } from '../src/components/ConnectionIndicator';
import { MoveList } from '../src/components/MoveList';
import { ReasoningPanel } from '../src/components/ReasoningPanel';
import { AGENT, HUMAN, entries } from './fixtures';

describe('MoveList', () => {
  it('lists moves in pairs, numbered by full moves, without a name on every row', () => {
    render(<MoveList moves={entries('tictactoe', [{ cell: 4 }, { cell: 0 }, { cell: 8 }])} players={[HUMAN, AGENT]} />);
    const items = within(screen.getByRole('list', { name: 'Move list' })).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual(['1. b2', 'a1', '2. c3']);
    expect(items.map((li) => li.getAttribute('data-seat'))).toEqual(['0', '1', '0']);
    expect(screen.getByRole('list', { name: 'Move list' }).textContent).not.toMatch(/Alice|MentorOrangutan/);
  });

  it('says the moves are coming, not "No moves yet.", when the game has moves not held yet', () => {
    render(<MoveList moves={[]} players={[HUMAN, AGENT]} loading />);
    expect(screen.getByText('Loading the moves…')).toBeTruthy();
    expect(screen.queryByText('No moves yet.')).toBeNull();
  });

  it('says so when there are no moves', () => {
    render(<MoveList moves={[]} players={[HUMAN, AGENT]} />);
    expect(screen.getByText('No moves yet.')).toBeTruthy();
  });

  it('marks the current replay step and lets you jump to a move', async () => {
    const onSelect = vi.fn();
    render(<MoveList moves={entries('connect4', [{ column: 3 }, { column: 2 }])} players={[HUMAN, AGENT]} current={0} onSelect={onSelect} />);
    const items = screen.getAllByRole('listitem');
    expect(items[0]!.getAttribute('aria-current')).toBe('step');
    expect(items[1]!.getAttribute('aria-current')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: /col 3/ }));
    expect(onSelect).toHaveBeenCalledWith(1);
  });
});

describe('ReasoningPanel', () => {
  const moves = entries('tictactoe', [{ cell: 4 }, { cell: 0 }, { cell: 8 }, { cell: 2 }], [null, 'takes a corner', null, 'blocks your diagonal']);

  it('shows the agent thinking while it owes a move', () => {
    render(<ReasoningPanel moves={[]} players={[HUMAN, AGENT]} thinking={AGENT} />);
    expect(screen.getByRole('status').textContent).toMatch(/MentorOrangutan is thinking/);
  });

  it("lists the agent's reasons, newest first, and not the human's moves", () => {
    render(<ReasoningPanel moves={moves} players={[HUMAN, AGENT]} thinking={null} />);
    const items = within(screen.getByRole('list', { name: 'Agent reasons' })).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('blocks your diagonal');
    expect(items[1]!.textContent).toContain('takes a corner');
    expect(screen.getByRole('status').textContent).not.toMatch(/thinking/);
  });

  it('is absent in a game between people', () => {
    const { container } = render(<ReasoningPanel moves={moves} players={[HUMAN, { ...AGENT, kind: 'human' }]} thinking={null} />);
    expect(container.textContent).toBe('');
  });
});

describe('ChatPanel', () => {
  it('renders markup in messages as plain text', () => {
    const evil = '<script>window.__pwned=1</script><img src=x onerror=alert(1)>';
    const { container } = render(
      <ChatPanel messages={[{ seq: 1, playerId: 'x', name: '<b>bold</b>', text: evil }]} myPlayerId={null} onSend={null} />,
    );
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(screen.getByText(evil)).toBeTruthy();
    expect(screen.getByText('<b>bold</b>')).toBeTruthy();
  });

  it("mutes a player for this viewer: their lines hidden, remembered in this browser, undone with unmute; a report names the line", async () => {
    window.localStorage.clear();
    const onReport = vi.fn().mockResolvedValue(undefined);
    const lines = [
      { seq: 3, playerId: 'b', name: 'Ben', text: 'spam' },
      { seq: 4, playerId: 'c', name: 'Cleo', text: 'hello' },
      { seq: 5, playerId: 'me', name: 'Me', text: 'hi' },
    ];
    const { unmount } = render(<ChatPanel messages={lines} myPlayerId="me" onSend={null} onReport={onReport} />);
    expect(screen.queryByRole('button', { name: 'Mute Me' })).toBeNull(); // not oneself
    await userEvent.click(screen.getByRole('button', { name: "Report Ben's message" }));
    expect(onReport).toHaveBeenCalledWith('b', 3);
    expect(screen.getByRole('status').textContent).toBe("Thanks: Ben's message was reported to the moderators.");
    await userEvent.click(screen.getByRole('button', { name: 'Mute Ben' }));
    expect(screen.queryByText('spam')).toBeNull();
    expect(screen.getByText('hello')).toBeTruthy();
    unmount();
    render(<ChatPanel messages={lines} myPlayerId="me" onSend={null} />); // a reload: still muted
    expect(screen.queryByText('spam')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Unmute Ben' }));
    expect(screen.getByText('spam')).toBeTruthy();
  });

  it('sends trimmed text and clears the box', async () => {
    const onSend = vi.fn().mockResolvedValue(undefined);
    render(<ChatPanel messages={[]} myPlayerId="me" onSend={onSend} />);
    const box = screen.getByLabelText('Chat message');
    await userEvent.type(box, '  good game  {Enter}');
    expect(onSend).toHaveBeenCalledWith('good game');
    expect((box as HTMLInputElement).value).toBe('');
  });

  it("shows the server's refusal and keeps the text", async () => {
    const onSend = vi.fn().mockRejectedValue(new Error('Slow down: too many messages'));
    render(<ChatPanel messages={[]} myPlayerId="me" onSend={onSend} />);
    await userEvent.type(screen.getByLabelText('Chat message'), 'hi{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('Slow down: too many messages');
    expect((screen.getByLabelText('Chat message') as HTMLInputElement).value).toBe('hi');
  });

  it('caps the input at 280 characters', () => {
    render(<ChatPanel messages={[]} myPlayerId="me" onSend={vi.fn()} />);
    expect(screen.getByLabelText('Chat message').getAttribute('maxlength')).toBe('280');
  });

  it('has no input for a visitor without a name', () => {
    render(<ChatPanel messages={[]} myPlayerId={null} onSend={null} />);
    expect(screen.queryByLabelText('Chat message')).toBeNull();
  });
});

describe('ConnectionIndicator', () => {
  it.each([
    ['open', 'Live'],
    ['connecting', 'Connecting…'],
    ['reconnecting', 'Reconnecting…'],
    ['closed', 'Offline'],
  ] as const)('%s reads "%s"', (state, text) => {
    render(<ConnectionIndicator state={state} />);
    const s = screen.getByRole('status');
    expect(s.textContent).toBe(text);
    expect(s.getAttribute('data-state')).toBe(state);
    expect(s.getAttribute('aria-label')).toBe(`Connection: ${text}`);
  });

  it('counts reconnect attempts', () => {
    render(<ConnectionIndicator state="reconnecting" attempt={3} />);
    expect(screen.getByRole('status').getAttribute('aria-label')).toBe('Connection: Reconnecting… (try 3)');
  });
});
