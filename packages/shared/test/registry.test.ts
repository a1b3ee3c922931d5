import { describe, expect, it } from 'vitest';
import { GameType } from '../src/schemas/index.js';
import { connect4, ENGINES, engineFor, GAME_TYPES, getEngine, isSupportedGameType, SUPPORTED_GAME_TYPES, tictactoe, type GameEngine } from '../src/games/index.js';
import { AGENT_IDS, AI_GAME_TYPES, chooseMove, GAME_AI, hint, PERSONALITIES, playAgents, type ChooseMoveInput } from '../src/ai/index.js';

const engines = Object.values(ENGINES) as GameEngine<any, any>[];

describe('game registry', () => {
  it('GameType, engines, AI and every personality cover exactly the one list of games', () => {
    // The maps are mapped types over GameType, so a missing entry fails typecheck; these
    // assertions catch the other direction (an entry that is not in the list).
    expect(GameType.options).toEqual([...GAME_TYPES]);
    expect(Object.keys(ENGINES).sort()).toEqual([...GAME_TYPES].sort());
    expect(Object.keys(GAME_AI).sort()).toEqual([...GAME_TYPES].sort());
    expect(SUPPORTED_GAME_TYPES).toEqual(GAME_TYPES);
    expect(AI_GAME_TYPES).toEqual(GAME_TYPES);
    for (const id of AGENT_IDS) expect(Object.keys(PERSONALITIES[id].games).sort()).toEqual([...GAME_TYPES].sort());
    for (const [type, engine] of Object.entries(ENGINES)) {
      expect(engine.type).toBe(type);
      expect(engine.meta.title.length).toBeGreaterThan(0);
      expect(engine.meta.blurb.length).toBeGreaterThan(0);
      expect(engine.meta.seats).toHaveLength(2);
    }
    expect(engineFor('tictactoe')).toBe(tictactoe);
    expect(engineFor('connect4')).toBe(connect4);
  });

  it('a name that is not a game has no engine and no AI (no fallback to another game)', () => {
    expect(engineFor('toString')).toBeUndefined();
    expect(engineFor('go')).toBeUndefined();
    expect(isSupportedGameType('go')).toBe(false);
    expect(() => getEngine('go')).toThrow('no engine for game type "go"');
    const state = tictactoe.initialState();
    expect(() => chooseMove({ type: 'go', state, agentId: 'championchimp', seed: 1 } as unknown as ChooseMoveInput)).toThrow('no AI for game type "go"');
    expect(() => hint({ type: 'go', state, seed: 1 } as unknown as Parameters<typeof hint>[0])).toThrow('no AI for game type "go"');
    expect(() => playAgents('go' as never, 'championchimp', 'wildcardlemur', 1)).toThrow('no engine for game type "go"');
  });

  it('every game is playable by the troop and hinted, through the registry alone', () => {
    for (const type of GAME_TYPES) {
      const engine = getEngine(type);
      const r = chooseMove({ type, state: engine.initialState(), agentId: 'speedygibbon', seed: 3 } as ChooseMoveInput);
      expect(engine.illegalReason(engine.initialState(), r.move)).toBeNull();
      const h = hint({ type, state: engine.initialState(), seed: 3 } as Parameters<typeof hint>[0]);
      expect(engine.illegalReason(engine.initialState(), h.move)).toBeNull();
      expect(h.text).toMatch(/^Try /);
    }
  });

  it('engines work when their methods are passed around unbound', () => {
    const { apply, initialState } = connect4;
    expect(apply(initialState(), { column: 0 }).heights[0]).toBe(1);
    const t = tictactoe.apply;
    expect(() => t(tictactoe.initialState(), { cell: 10 })).toThrow(/0 to 8/);
  });

  it('states are plain JSON (they are stored as jsonb and sent to browsers)', () => {
    for (const engine of engines) {
      let s = engine.initialState();
      for (let i = 0; i < 5; i++) s = engine.apply(s, engine.legalMoves(s)[i % engine.legalMoves(s).length]);
      expect(JSON.parse(JSON.stringify(s))).toEqual(s);
      expect(JSON.parse(JSON.stringify(engine.publicView(s)))).toEqual(engine.publicView(s));
    }
  });
});
