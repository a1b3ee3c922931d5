import { describe, expect, it } from 'vitest';
import { chooseMove, reviewGame, type ReviewInput } from '../src/ai/index.js';
import { chess, connect4, tictactoe } from '../src/games/index.js';

/** The final state of `moves` from the start (the review replays them). */
function finalOf<S, M>(engine: { initialState(): S; apply(s: S, m: M): S }, moves: M[]): S {
  return moves.reduce((s, m) => engine.apply(s, m), engine.initialState());
}

describe('post-game review (issue 27)', () => {
  it('tic-tac-toe: an edge answer to a corner opening is the loser’s blunder and the turning point', () => {
    const moves = [0, 1, 4, 8, 6, 3, 2].map((cell) => ({ cell }));
    const input: ReviewInput = { type: 'tictactoe', final: finalOf(tictactoe, moves), moves, agents: [null, null], names: ['Ann', 'Ben'], winner: 0 };
    const r = reviewGame(input);
    expect(r.turningPoint).toBe(2);
    const m = r.moments.find((x) => x.ply === 2)!;
    expect(m).toMatchObject({ seat: 1, kind: 'blunder', played: 'b1', turningPoint: true });
    expect(m.text).toMatch(/Taking b1 let Ann (force a win|set up a fork): after .* Ann completes three in a row\. Better was \S+/);
    expect(r.players[1].accuracy!).toBeLessThan(r.players[0].accuracy!);
    expect(r.curve).toHaveLength(moves.length + 1);
    expect(r.curve.at(-1)).toBe(100);
    expect(r.reviewer.agentId).toBe('mentororangutan'); // two people: the mentor reviews
    expect(reviewGame(input)).toEqual(r); // deterministic
  });

  it('a monkey reviewing its own game says "I" and "you", in its voice', () => {
    const moves = [3, 3, 2, 0, 4, 6, 1].map((column) => ({ column }));
    const r = reviewGame({ type: 'connect4', final: finalOf(connect4, moves), moves, agents: ['trickstermonkey', null], names: ['TricksterMonkey', 'Ben'], winner: 0 });
    const m = r.moments.find((x) => x.ply === 4)!;
    expect(m.seat).toBe(1);
    expect(m.text).toMatch(/Putting your disc in column 1 (let me build two threats at once|let me force a win|left me a winning drop)/);
    expect(r.moments.find((x) => x.turningPoint)!.text).toMatch(/^Hee hee, here the trap snapped shut\./);
  });

  it('a game with no moves has an empty review', () => {
    const r = reviewGame({ type: 'chess', final: chess.initialState(), moves: [], agents: [null, 'championchimp'], names: ['A', 'B'], winner: undefined });
    expect(r).toMatchObject({ moments: [], turningPoint: null, curve: [expect.any(Number)], players: [{ accuracy: null }, { accuracy: null }] });
  });
});

describe('WildcardLemur names its hunches in SAN (issue 26)', () => {
  it('never in UCI', () => {
    let hunches = 0;
    let s = chess.initialState();
    for (const uci of ['e2e4', 'e7e5', 'g1f3', 'b8c6']) s = chess.apply(s, { uci });
    for (let seed = 0; seed < 200 && hunches < 3; seed++) {
      const r = chooseMove({ type: 'chess', state: s, agentId: 'wildcardlemur', seed });
      if (r.reasonCode !== 'hunch') continue;
      hunches++;
      const san = chess.describeMove(s, r.move as { uci: string });
      expect(r.reason).toContain(`tries ${san} on a hunch`);
      expect(r.reason).not.toMatch(/\b[a-h][1-8][a-h][1-8]\b/);
    }
    expect(hunches).toBeGreaterThan(0);
  });
});
