import { describe, expect, it } from 'vitest';
import { Move } from '../src/schemas/index.js';
import { defineGame, GAMES, GAME_TYPES, TIME_CONTROLS, tictactoe, connect4 } from '../src/games/index.js';
import { GAME_META } from '../src/games/meta.js';
import { GAME_AI, PERSONALITIES, TROOP_PARAMS } from '../src/ai/index.js';

describe('a game is one module, listed once', () => {
  it('each entry of GAMES is its own game, and the registries hand out exactly its parts', () => {
    for (const type of GAME_TYPES) {
      const game = GAMES[type];
      expect(game.type).toBe(type);
      expect(game.engine.type).toBe(type);
      expect(GAME_META[type]).toBe(game.engine.meta);
      expect(TIME_CONTROLS[type]).toBe(game.timeControls);
      expect(game.timeControls.length).toBeGreaterThan(0);
    }
    // Every monkey's parameters come from the game's own table, row for row.
    for (const type of GAME_TYPES) for (const [id, who] of Object.entries(PERSONALITIES)) expect(who.games[type]).toBe(TROOP_PARAMS[type][id as keyof typeof PERSONALITIES]);
  });

  it("the troop part a game loads is the one the AI registry uses", async () => {
    for (const type of GAME_TYPES) expect(GAME_AI[type]).toBe((await GAMES[type].troop()).ai);
  });

  it("the API's Move accepts each game's move and refuses what no game plays", () => {
    expect(Move.safeParse(tictactoe.legalMoves(tictactoe.initialState())[0]).success).toBe(true);
    expect(Move.safeParse(connect4.legalMoves(connect4.initialState())[0]).success).toBe(true);
    for (const type of GAME_TYPES) {
      const engine = GAMES[type].engine as { initialState(): unknown; legalMoves(s: unknown): unknown[] };
      expect(Move.safeParse(engine.legalMoves(engine.initialState())[0]).success).toBe(true);
    }
    expect(Move.safeParse({ stone: 'q16' }).success).toBe(false);
  });

  it('defineGame refuses a module whose engine is another game’s', () => {
    expect(() => defineGame({ type: 'go', engine: tictactoe, timeControls: [], troop: () => GAMES.tictactoe.troop() })).toThrow(
      'game "go" has the engine of "tictactoe"',
    );
  });
});
