import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { MoveNav, useMoveView } from '../src/components/game/MoveNav';

function Harness({ total }: { total: number }) {
  const nav = useMoveView(total);
  return (
    <div onKeyDown={nav.onKeyDown}>
      <output data-testid="view">{nav.view === null ? 'live' : String(nav.view)}</output>
      <MoveNav nav={nav} total={total} label={nav.view === null ? null : `ply ${nav.view}`} />
      <input aria-label="chat" />
    </div>
  );
}
const view = () => screen.getByTestId('view').textContent;

describe('stepping through a live game', () => {
  it('arrow keys and buttons step back and forth; past the last move, End or "Back to live" is live again', async () => {
    const { rerender } = render(<Harness total={4} />);
    const group = screen.getByRole('group', { name: 'Step through the moves' });
    fireEvent.keyDown(group, { key: 'ArrowLeft' });
    fireEvent.keyDown(group, { key: 'ArrowLeft' });
    expect(view()).toBe('2');
    expect(screen.getByTestId('viewing').textContent).toBe('Viewing ply 2');
    fireEvent.keyDown(group, { key: 'ArrowRight' });
    fireEvent.keyDown(group, { key: 'ArrowRight' });
    expect(view()).toBe('live');
    fireEvent.keyDown(group, { key: 'Home' });
    expect(view()).toBe('0');
    await userEvent.click(screen.getByRole('button', { name: 'Next move' }));
    expect(view()).toBe('1');
    await userEvent.click(screen.getByRole('button', { name: 'Back to live' }));
    expect(view()).toBe('live');
    expect(screen.queryByRole('button', { name: 'Back to live' })).toBeNull();
    // A takeback shortening the game under a picked position: live again.
    await userEvent.click(screen.getByRole('button', { name: 'Previous move' }));
    expect(view()).toBe('3');
    rerender(<Harness total={2} />);
    expect(view()).toBe('live');
  });

  it('keys typed into a text box are not steps', () => {
    render(<Harness total={3} />);
    fireEvent.keyDown(screen.getByLabelText('chat'), { key: 'ArrowLeft' });
    expect(view()).toBe('live');
  });
});
