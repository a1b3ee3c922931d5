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
    const select = screen.getByRole('combobox', { name: /Time control/ });
    const options = () => screen.getAllByRole('option').map((o) => [(o as HTMLOptionElement).value, o.textContent]);
    expect(options()).toEqual([
      ['untimed', 'Untimed'],
      ['1+0', '1+0 · 1 min + 0 s'],
      ['3+2', '3+2 · 3 min + 2 s'],
      ['5+3', '5+3 · 5 min + 3 s'],
      ['10+5', '10+5 · 10 min + 5 s'],
    ]);
    await userEvent.selectOptions(select, '5+3');
    expect(onChange).toHaveBeenCalledWith('5+3');
    rerender(<TimeControlPicker type="tictactoe" value={UNTIMED} onChange={onChange} />);
    expect(options().map(([v]) => v)).toEqual(['untimed', '15s+2', '30s+3', '1+5']);
    expect(options()[1]![1]).toBe('15s+2 · 15 s + 2 s');
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
        <LiveGames games={[summary({ id: '22222222-2222-4222-8222-222222222222', players: [HUMAN, AGENT], updatedAt: new Date().toISOString() })]} myId={null} />
      </>,
    );
    const rows = document.querySelectorAll('.game-row');
    expect(rows[0]!.querySelector('.game-type')!.textContent).toBe('Tic-tac-toe · ⏱ 3+2');
    expect(rows[0]!.querySelector('.game-who')!.textContent).toBe('Alice · 1520?');
    expect(rows[1]!.querySelector('.game-type')!.textContent).toBe('Tic-tac-toe · untimed');
  });
});
