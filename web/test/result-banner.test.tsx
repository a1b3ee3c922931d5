import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { GameResult, GameSnapshot } from '@monkeytown/shared/schemas';
import { PlayersPanel } from '../src/components/PlayersPanel';
import { ReasoningPanel } from '../src/components/ReasoningPanel';
import { ResultBanner, resultText } from '../src/components/ResultBanner';
import { AGENT, HUMAN, snapshot } from './fixtures';

const BOB = { ...AGENT, name: 'Bob', kind: 'human' as const, agentId: undefined, emoji: undefined };
const over = (result: GameResult, extra: Partial<GameSnapshot> = {}) =>
  snapshot({ status: 'finished', turn: null, result, moveCount: 5, players: [HUMAN, BOB], ...extra });

describe('how a game ended, in words', () => {
  it.each<[string, GameResult, 0 | 1 | null, string]>([
    ['three in a row, won', { winner: 0, reason: 'win', detail: 'three in a row', line: [0, 1, 2] }, 0, 'You win by three in a row! 🏆'],
    ['three in a row, lost', { winner: 0, reason: 'win', detail: 'three in a row' }, 1, 'Alice wins by three in a row.'],
    ['checkmate, watched', { winner: 1, reason: 'win', detail: 'checkmate' }, null, 'Bob wins by checkmate.'],
    ['a full board', { winner: null, reason: 'draw', detail: 'a full board' }, 0, 'Draw by a full board!'],
    ['stalemate', { winner: null, reason: 'draw', detail: 'stalemate' }, null, 'Draw by stalemate!'],
    ['resignation', { winner: 1, reason: 'resign' }, 1, 'You win by resignation! 🏆'],
    ['resignation, watched', { winner: 1, reason: 'resign' }, null, 'Bob wins by resignation.'],
    ['flag, lost', { winner: 1, reason: 'timeout' }, 0, 'You ran out of time. Bob wins on time.'],
    ['flag, won', { winner: 1, reason: 'timeout' }, 1, 'You win on time! 🏆'],
    ['flag, watched', { winner: 0, reason: 'timeout' }, null, 'Alice wins on time.'],
    ['agreement', { winner: null, reason: 'agreement' }, 0, 'Draw by agreement.'],
    ['aborted', { winner: null, reason: 'aborted' }, 0, 'Game aborted before both sides moved.'],
    ['aborted, no first move in time', { winner: null, reason: 'aborted', detail: 'no first move in time' }, 0, 'Game aborted: no first move in time.'],
    ['opponent left', { winner: 0, reason: 'left' }, 0, 'You win: Bob left the game! 🏆'],
    ['opponent left, watched', { winner: 0, reason: 'left' }, null, 'Alice wins: Bob left the game.'],
    ['left, draw claimed', { winner: null, reason: 'left' }, 1, 'Draw: a player left the game.'],
    ['abandoned', { winner: null, reason: 'abandoned' }, null, 'Game abandoned: nobody played on.'],
  ])('%s', (_, result, seat, text) => {
    expect(resultText(over(result), seat)).toBe(text);
  });

  it('a flag against a bare king is a draw, and says who ran out', () => {
    const g = over({ winner: null, reason: 'timeout', detail: 'insufficient material' }, { clockState: { remainingMs: [0, 4200], running: null, at: '2026-11-30T12:00:00Z' } });
    expect(resultText(g, null)).toBe('Draw: Alice ran out of time, but the other side cannot win (insufficient material).');
    expect(resultText(g, 0)).toBe('Draw: You ran out of time, but the other side cannot win (insufficient material).');
  });
});

describe('the rating change in the banner', () => {
  const changes = [
    { seat: 0 as const, playerId: HUMAN.playerId, before: 1500, after: 1512 },
    { seat: 1 as const, playerId: BOB.playerId, before: 1500, after: 1492 },
  ];
  const won = over({ winner: 0, reason: 'win', detail: 'three in a row' }, { ratingChanges: changes });

  it("shows the player's own change", () => {
    render(<ResultBanner game={won} mySeat={0} />);
    expect(screen.getByTestId('rating-change').textContent).toBe('Your rating 1512 (+12)');
  });

  it('shows a loss with a real minus sign, and "?" while provisional', () => {
    const g = { ...won, players: [HUMAN, { ...BOB, provisional: true }] };
    render(<ResultBanner game={g} mySeat={1} />);
    expect(screen.getByTestId('rating-change').textContent).toBe('Your rating 1492? (\u22128)');
    expect(document.querySelector('.rating-delta')!.getAttribute('data-sign')).toBe('down');
  });

  it("shows both players' changes to a spectator", () => {
    render(<ResultBanner game={won} mySeat={null} />);
    expect(screen.getByTestId('rating-change').textContent).toBe('Alice 1512 (+12) · Bob 1492 (\u22128)');
  });

  it('says why a rated game changed nothing when it ended before both sides moved, and marks unrated games', () => {
    const { rerender } = render(<ResultBanner game={over({ winner: null, reason: 'aborted' }, { moveCount: 1 })} mySeat={0} />);
    expect(screen.getByRole('status').textContent).toContain('Not rated: ended before both sides moved.');
    rerender(<ResultBanner game={over({ winner: 0, reason: 'resign' }, { rated: false })} mySeat={0} />);
    expect(screen.getByRole('status').textContent).toContain('Unrated game.');
  });
});

describe('provisional ratings and the end of a game in the player strips', () => {
  it('marks a provisional rating "1520?" and an established one plainly', () => {
    render(<PlayersPanel game={snapshot({ players: [{ ...HUMAN, rating: 1520, provisional: true }, AGENT] })} mySeat={0} />);
    const metas = [...document.querySelectorAll('.player-meta')].map((e) => e.textContent);
    expect(metas).toEqual(['X · 1520? · you', 'O · 1320']);
    expect(document.querySelector('.rating[data-provisional]')!.getAttribute('title')).toMatch(/Provisional/);
  });

  it("shows clocks only in timed games, and each seat's outcome at the end", () => {
    const { rerender } = render(<PlayersPanel game={snapshot()} mySeat={0} />);
    expect(document.querySelectorAll('.clock')).toHaveLength(0);
    const clockState = { remainingMs: [0, 12_000] as [number, number], running: null, at: '2026-11-30T12:00:00Z' };
    rerender(<PlayersPanel game={over({ winner: 1, reason: 'timeout' }, { clockState, clock: { initialSeconds: 60, incrementSeconds: 0 } })} mySeat={0} />);
    expect([...document.querySelectorAll('.clock-time')].map((e) => e.textContent)).toEqual(['0:00', '0:12']);
    expect([...document.querySelectorAll('.turn-tag')].map((e) => e.textContent)).toEqual(['Out of time', 'Won on time']);
    expect(document.querySelector('.clock[data-seat="0"]')!.hasAttribute('data-flagged')).toBe(true);
  });
});

describe('panels leave their in-game state', () => {
  it('the monkey-thoughts panel stops waiting for a move once the game is over', () => {
    const { rerender } = render(<ReasoningPanel moves={[]} players={[HUMAN, AGENT]} thinking={null} status="active" mySeat={0} />);
    expect(screen.getByRole('status').textContent).toBe('Waiting for your move.');
    rerender(<ReasoningPanel moves={[]} players={[HUMAN, AGENT]} thinking={null} status="finished" mySeat={0} />);
    expect(screen.getByRole('status').textContent).toBe('The game is over.');
    rerender(<ReasoningPanel moves={[]} players={[HUMAN, AGENT]} thinking={null} status="active" mySeat={null} />);
    expect(screen.getByRole('status').textContent).toBe('Waiting for Alice to move.');
  });
});
