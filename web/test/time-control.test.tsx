import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { LiveGames, OpenGames } from '../src/components/lobby/GameLists';
import { clockFor, TimeControlPicker, UNTIMED } from '../src/components/lobby/TimeControlPicker';
import { AGENT, HUMAN, snapshot } from './fixtures';

const summary = (over: Parameters<typeof snapshot>[0]) => {
  const { state: _s, legalMoves: _l, agentThinking: _a, clockState: _cs, offers: _o, rematchId: _r, claimAfterSeconds: _ca, ...rest } = snapshot(over);
  return rest;
};

describe('the time-control picker', () => {
  it("offers untimed and the game's presets, and hands back the picked one", async () => {
    const onChange = vi.fn();
    const { rerender } = render(<TimeControlPicker type="chess" value={UNTIMED} onChange={onChange} />);
    const labels = () => screen.getAllByRole('radio').map((r) => (r as HTMLInputElement).value);
    expect(labels()).toEqual(['untimed', '1+0', '3+2', '5+3', '10+5']);
    expect(screen.getByRole('radio', { name: /3\+2: 3 minutes plus 2 seconds a move/ })).toBeTruthy();
    await userEvent.click(screen.getByRole('radio', { name: /5\+3/ }));
    expect(onChange).toHaveBeenCalledWith('5+3');
    rerender(<TimeControlPicker type="tictactoe" value={UNTIMED} onChange={onChange} />);
    expect(labels()).toEqual(['untimed', '15s+2', '30s+3', '1+5']);
  });

  it('turns a pick into the clock the server is asked for (untimed, or a label another game offers: none)', () => {
    expect(clockFor('chess', '3+2')).toEqual({ initialSeconds: 180, incrementSeconds: 2 });
    expect(clockFor('tictactoe', '15s+2')).toEqual({ initialSeconds: 15, incrementSeconds: 2 });
    expect(clockFor('tictactoe', '3+2')).toBeUndefined();
    expect(clockFor('chess', UNTIMED)).toBeUndefined();
  });
});

describe('lobby rows', () => {
  it('show the time control, and a provisional host rating with "?"', () => {
    render(
      <>
        <OpenGames games={[summary({ status: 'open', players: [{ ...HUMAN, rating: 1520, provisional: true }], clock: { initialSeconds: 180, incrementSeconds: 2 } })]} myId={null} onJoin={() => {}} busyId={null} />
        <LiveGames games={[summary({ id: '22222222-2222-4222-8222-222222222222', players: [HUMAN, AGENT] })]} myId={null} />
      </>,
    );
    const rows = document.querySelectorAll('.game-row');
    expect(rows[0]!.querySelector('.game-type')!.textContent).toBe('Tic-tac-toe · ⏱ 3+2');
    expect(rows[0]!.querySelector('.game-who')!.textContent).toBe('Alice · 1520?');
    expect(rows[1]!.querySelector('.game-type')!.textContent).toBe('Tic-tac-toe · untimed');
  });
});
