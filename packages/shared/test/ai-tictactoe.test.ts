import { describe, expect, it } from 'vitest';
import { chooseMove, AGENT_IDS, ladder, formatLadder } from '../src/ai/index.js';
import { tictactoe, type TicTacToeState } from '../src/games/index.js';

/**
 * Independent exhaustive minimax (written separately from the AI's solver): the game
 * value for the side to move, +1 win / 0 draw / -1 loss, using only the engine's rules.
 */
const values = new Map<string, number>();
function value(s: TicTacToeState): number {
  const out = tictactoe.outcome(s);
  if (out) return out.winner === null ? 0 : out.winner === s.turn ? 1 : -1;
  const k = JSON.stringify(s.cells);
  const hit = values.get(k);
  if (hit !== undefined) return hit;
  let best = -1;
  for (const m of tictactoe.legalMoves(s)) best = Math.max(best, -value(tictactoe.apply(s, m)));
  values.set(k, best);
  return best;
}

/** Every non-terminal position reachable from the start. */
function reachable(): TicTacToeState[] {
  const seen = new Map<string, TicTacToeState>();
  const stack = [tictactoe.initialState()];
  while (stack.length) {
    const s = stack.pop()!;
    const k = JSON.stringify(s.cells);
    if (seen.has(k) || tictactoe.outcome(s)) continue;
    seen.set(k, s);
    for (const m of tictactoe.legalMoves(s)) stack.push(tictactoe.apply(s, m));
  }
  return [...seen.values()];
}

describe('tic-tac-toe AI', () => {
  const positions = reachable();

  it('enumerates all 4,520 reachable non-terminal positions', () => {
    expect(positions.length).toBe(4520);
  });

  it('ChampionChimp plays a game-theoretically optimal move in every reachable position', () => {
    let wrong = 0;
    positions.forEach((s, i) => {
      const { move } = chooseMove({ type: 'tictactoe', state: s, agentId: 'championchimp', seed: i });
      const after = tictactoe.apply(s, move);
      // The move keeps the position's value: never turns a win into a draw or a draw into a loss.
      if (-value(after) !== value(s)) wrong++;
    });
    expect(wrong).toBe(0);
  });

  it.each([0, 1] as const)('ChampionChimp never loses as seat %i against every possible opponent line', (seat) => {
    let games = 0;
    let losses = 0;
    let wins = 0;
    const walk = (s: TicTacToeState, seed: number) => {
      const out = tictactoe.outcome(s);
      if (out) {
        games++;
        if (out.winner !== null && out.winner !== seat) losses++;
        if (out.winner === seat) wins++;
        return;
      }
      if (s.turn === seat) {
        walk(tictactoe.apply(s, chooseMove({ type: 'tictactoe', state: s, agentId: 'championchimp', seed }).move), seed + 1);
      } else {
        for (const m of tictactoe.legalMoves(s)) walk(tictactoe.apply(s, m), seed * 31 + m.cell);
      }
    };
    walk(tictactoe.initialState(), 1);
    expect(games).toBeGreaterThan(50);
    expect(losses).toBe(0);
    expect(wins).toBeGreaterThan(0); // it punishes weak replies rather than only drawing
  });

  it('every agent returns a legal move from every reachable position', () => {
    for (const agentId of AGENT_IDS) {
      positions.forEach((s, i) => {
        if (i % 7 !== 0) return; // a spread-out sample per agent keeps this quick
        const { move } = chooseMove({ type: 'tictactoe', state: s, agentId, seed: i });
        expect(tictactoe.illegalReason(s, move)).toBeNull();
      });
    }
  });

  it('ladder: ChampionChimp never loses and outscores the weaker agents', () => {
    const rows = ladder('tictactoe', ['championchimp', 'speedygibbon', 'wildcardlemur'], 20, 3);
    console.log(`tic-tac-toe ladder (20 games per pair)\n${formatLadder(rows)}`);
    const by = Object.fromEntries(rows.map((r) => [r.agentId, r]));
    expect(by.championchimp!.losses).toBe(0);
    expect(by.championchimp!.score).toBeGreaterThan(by.speedygibbon!.score);
    expect(by.speedygibbon!.score).toBeGreaterThan(by.wildcardlemur!.score);
  });
});
