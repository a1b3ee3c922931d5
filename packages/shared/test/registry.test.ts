import { describe, expect, it } from 'vitest';
import { GameType } from '../src/schemas/index.js';
import { connect4, ENGINES, engineFor, getEngine, isSupportedGameType, SUPPORTED_GAME_TYPES, tictactoe } from '../src/games/index.js';

describe('game registry', () => {
  it('registers tic-tac-toe and connect four under their schema types', () => {
    expect(SUPPORTED_GAME_TYPES).toEqual(['tictactoe', 'connect4']);
    expect(engineFor('tictactoe')).toBe(tictactoe);
    expect(engineFor('connect4')).toBe(connect4);
    for (const [type, engine] of Object.entries(ENGINES)) {
      expect(engine.type).toBe(type);
      expect(GameType.options).toContain(type);
    }
  });

  it('has no engine for chess yet (and nothing for unknown names)', () => {
    expect(engineFor('chess')).toBeUndefined();
    expect(engineFor('toString')).toBeUndefined();
    expect(isSupportedGameType('chess')).toBe(false);
    expect(() => getEngine('chess')).toThrow('no engine for game type "chess"');
  });

  it('engines work when their methods are passed around unbound', () => {
    const { apply, initialState } = connect4;
    expect(apply(initialState(), { column: 0 }).heights[0]).toBe(1);
    const t = tictactoe.apply;
    expect(() => t(tictactoe.initialState(), { cell: 10 })).toThrow(/0 to 8/);
  });

  it('states are plain JSON (they are stored as jsonb and sent to browsers)', () => {
    for (const engine of Object.values(ENGINES)) {
      let s = engine.initialState();
      for (let i = 0; i < 5; i++) s = engine.apply(s, engine.legalMoves(s)[i % engine.legalMoves(s).length]);
      expect(JSON.parse(JSON.stringify(s))).toEqual(s);
      expect(JSON.parse(JSON.stringify(engine.publicView(s)))).toEqual(engine.publicView(s));
    }
  });
});
