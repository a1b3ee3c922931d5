import { describe, expect, it } from 'vitest';
import { ENGINES } from '../src/games/index.js';
import type { OthelloState } from '../src/games/othello/index.js';
import { agentAcceptsDraw } from '../src/ai/index.js';

/**
 * The troop's answer to a draw offer (documented in docs/api.md, Live games): each game's
 * rule is its AI's `acceptsDraw` hook (moved here from the server's agent-draw.ts).
 */
describe('agentAcceptsDraw', () => {
  const ttt = ENGINES.tictactoe;
  const play = (cells: number[]) => cells.reduce((s, cell) => ttt.apply(s, { cell }), ttt.initialState());

  it('tic-tac-toe: accepts a drawn position, declines one it wins with perfect play', () => {
    expect(agentAcceptsDraw('tictactoe', ttt.initialState(), 1, 0)).toBe(true);
    // X (seat 0) in a corner, O answered on the next edge: X to move wins (centre, then a fork).
    const won = play([0, 1]);
    expect(agentAcceptsDraw('tictactoe', won, 0, 2)).toBe(false);
    expect(agentAcceptsDraw('tictactoe', won, 1, 2)).toBe(true);
    // O answered in the centre instead: a draw either way.
    expect(agentAcceptsDraw('tictactoe', play([0, 4]), 0, 2)).toBe(true);
  });

  it('connect four: declines early, accepts from 30 discs on', () => {
    const s = ENGINES.connect4.initialState();
    expect(agentAcceptsDraw('connect4', s, 1, 0)).toBe(false);
    expect(agentAcceptsDraw('connect4', s, 1, 29)).toBe(false);
    expect(agentAcceptsDraw('connect4', s, 1, 30)).toBe(true);
  });

  it('chess: accepts when three pawns or more behind, or level from move 60; declines when ahead', () => {
    const level = ENGINES.chess.initialState();
    expect(agentAcceptsDraw('chess', level, 1, 10)).toBe(false);
    expect(agentAcceptsDraw('chess', level, 1, 120)).toBe(true);
    // Black (seat 1) has no queen.
    const noBlackQueen = { ...level, fen: 'rnb1kbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1' };
    expect(agentAcceptsDraw('chess', noBlackQueen, 1, 10)).toBe(true);
    expect(agentAcceptsDraw('chess', noBlackQueen, 0, 10)).toBe(false);
    expect(agentAcceptsDraw('chess', noBlackQueen, 0, 200)).toBe(false);
  });

  it('othello: declines before ply 40; later accepts unless it holds more corners', () => {
    const start = ENGINES.othello.initialState();
    expect(agentAcceptsDraw('othello', start, 1, 39)).toBe(false);
    expect(agentAcceptsDraw('othello', start, 1, 40)).toBe(true);
    const cells = start.cells.slice();
    cells[0] = 1; // White (seat 1) holds a1
    const s: OthelloState = { ...start, cells };
    expect(agentAcceptsDraw('othello', s, 1, 50)).toBe(false);
    expect(agentAcceptsDraw('othello', s, 0, 50)).toBe(true);
  });

  it('a name that is not a game never accepts (no fallback to another game)', () => {
    expect(agentAcceptsDraw('go', {}, 0, 100)).toBe(false);
  });
});
