import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { Connect4Board } from '../src/components/boards/Connect4Board';
import { TicTacToeBoard } from '../src/components/boards/TicTacToeBoard';
import { gameTitle } from '../src/components/game/useGameTitle';
import { SoundToggle } from '../src/components/SoundToggle';
import { isMuted, SOUND_KEY } from '../src/lib/sound';
import { engineFor } from '@monkeytown/shared/games';
import type { Connect4State, TicTacToeState } from '@monkeytown/shared/games';
import { HUMAN, snapshot } from './fixtures';

describe('tab title', () => {
  const g = snapshot();
  it('names the opponent and says when it is your turn, marked in a background tab', () => {
    expect(gameTitle(g, 0, true, 'Tic-tac-toe', false)).toBe('Your turn · vs MentorOrangutan · Tic-tac-toe · Monkeytown');
    expect(gameTitle(g, 0, true, 'Tic-tac-toe', true)).toBe('● Your turn · vs MentorOrangutan · Tic-tac-toe · Monkeytown');
    expect(gameTitle(g, 0, false, 'Tic-tac-toe', true)).toBe('vs MentorOrangutan · Tic-tac-toe · Monkeytown');
  });
  it('shows both players to a spectator and the result at the end', () => {
    expect(gameTitle(g, null, false, 'Tic-tac-toe', false)).toBe('Alice vs MentorOrangutan · Tic-tac-toe · Monkeytown');
    const done = snapshot({ status: 'finished', turn: null, result: { winner: 0, reason: 'win' } });
    expect(gameTitle(done, 0, false, 'Tic-tac-toe', false)).toBe('You won · vs MentorOrangutan · Tic-tac-toe · Monkeytown');
    expect(gameTitle({ ...done, players: [HUMAN, { ...done.players[1]!, name: 'Bob' }] }, 1, false, 'Tic-tac-toe', false)).toMatch(/^You lost · vs Alice/);
  });
});

describe('board coordinates', () => {
  it('tic-tac-toe: files a–c above, ranks 1–3 beside, a1 the top-left cell (as cell names say)', () => {
    const { container } = render(<TicTacToeBoard state={engineFor('tictactoe')!.initialState() as TicTacToeState} legalCells={[0]} />);
    expect(container.querySelector('.coords-files')?.textContent).toBe('abc');
    expect(container.querySelector('.coords-ranks')?.textContent).toBe('123');
    expect(screen.getByRole('button', { name: /^a1: empty, play here/ }).getAttribute('data-cell')).toBe('0');
  });
  it('connect four: column numbers 1–7 as the move list names them', () => {
    const { container } = render(<Connect4Board state={engineFor('connect4')!.initialState() as Connect4State} legalColumns={[0, 1, 2, 3, 4, 5, 6]} />);
    expect(container.querySelector('.coords-cols')?.textContent).toBe('1234567');
  });
});

describe('sound setting', () => {
  afterEach(() => localStorage.clear());
  it('is remembered per browser and toggled by the button', async () => {
    localStorage.setItem(SOUND_KEY, 'on');
    render(<SoundToggle />);
    const button = await screen.findByRole('button', { name: /Sound on/ });
    expect(button.getAttribute('aria-pressed')).toBe('true');
    await userEvent.click(button);
    expect(localStorage.getItem(SOUND_KEY)).toBe('off');
    expect(isMuted()).toBe(true);
    expect((await screen.findByRole('button', { name: /Sound off/ })).getAttribute('aria-pressed')).toBe('false');
  });
  it('starts muted for a visitor who prefers reduced motion', () => {
    const original = window.matchMedia;
    window.matchMedia = ((q: string) => ({ matches: q.includes('reduce'), media: q })) as unknown as typeof window.matchMedia;
    try {
      expect(isMuted()).toBe(true);
      localStorage.setItem(SOUND_KEY, 'on');
      expect(isMuted()).toBe(false);
    } finally {
      window.matchMedia = original;
    }
  });
});
