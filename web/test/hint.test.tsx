import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { tictactoe } from '@monkeytown/shared/games';
import { TicTacToeBoard } from '../src/components/boards/TicTacToeBoard';
import { HintButton, useHint } from '../src/components/game/HintButton';

function HintedBoard({ cells }: { cells: number[] }) {
  const state = cells.reduce((s, cell) => tictactoe.apply(s, { cell }), tictactoe.initialState());
  const { hint, busy, ask } = useHint('tictactoe', state, state.moves);
  return (
    <>
      <TicTacToeBoard state={state} legalCells={tictactoe.legalMoves(state).map((m) => m.cell)} hintCell={(hint?.move as { cell: number } | undefined)?.cell ?? null} />
      <HintButton busy={busy} onAsk={() => void ask()} />
      {hint && <p data-testid="hint">{hint.text}</p>}
    </>
  );
}

describe('MentorOrangutan hint', () => {
  it('points at the winning cell and says why', async () => {
    // X has a1 and b1 (cells 0, 1); O has a2, b2: X wins at c1 (cell 2).
    render(<HintedBoard cells={[0, 3, 1, 4]} />);
    await userEvent.click(screen.getByRole('button', { name: /Hint from MentorOrangutan/ }));
    // The AI module is imported on the first click: allow for a loaded machine.
    const text = await screen.findByTestId('hint', {}, { timeout: 10_000 });
    expect(text.textContent).toMatch(/c1/);
    expect(screen.getByRole('button', { name: /c1: empty, play here \(hint\)/ })).toBeTruthy();
  });
});
