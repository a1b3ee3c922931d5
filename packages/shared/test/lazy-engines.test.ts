import { describe, expect, it, vi } from 'vitest';

// Fresh copies of the registry (vi.resetModules): as a just-started server or a freshly
// opened page sees it, before anything asked for chess.
async function freshGames() {
  vi.resetModules();
  return import('../src/games/index.js');
}

describe('lazily loaded engines (issue 11: the engine loads lazily)', () => {
  it('chess needs chess.js only to apply a move: creating, listing and checking work before the load', async () => {
    const g = await freshGames();
    expect(g.engineLoaded('chess')).toBe(false);
    expect(g.enginesLoaded()).toBe(false);
    expect(g.engineLoaded('tictactoe')).toBe(true);
    const start = g.chess.initialState();
    expect(g.chess.legalMoves(start)).toHaveLength(20);
    expect(g.chess.illegalReason(start, { uci: 'e2e5' })).toBe('e2-e5 is not a legal move');
    expect(() => g.chess.apply(start, { uci: 'e2e4' })).toThrow(/chess rules not loaded/);
    await g.loadEngine('chess');
    expect(g.engineLoaded('chess')).toBe(true);
    expect(g.chess.apply(start, { uci: 'e2e4' }).san).toEqual(['e4']);
  });

  it('the start state built without chess.js is the one chess.js gives', async () => {
    const g = await freshGames();
    const lazyStart = g.chess.initialState();
    await g.loadEngines();
    expect(g.enginesLoaded()).toBe(true);
    expect(lazyStart).toEqual(g.chessStateFromFen(g.CHESS_START_FEN));
  });
});
