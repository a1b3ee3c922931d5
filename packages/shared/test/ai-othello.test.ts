import { describe, expect, it } from 'vitest';
import { chooseMove, hint, playAgents, TROOP } from '../src/ai/index.js';
import { othello, othelloStart, type OthelloState } from '../src/games/othello/index.js';

const play = (s: OthelloState, ...squares: string[]) => squares.reduce((st, square) => othello.apply(st, { square }), s);

/** A board from 8 strings, row 1 first: B black, W white, . empty. */
function board(rows: string[], turn: 0 | 1): OthelloState {
  const cells = rows.join('').split('').map((ch) => (ch === 'B' ? 0 : ch === 'W' ? 1 : null));
  const discs: [number, number] = [cells.filter((c) => c === 0).length, cells.filter((c) => c === 1).length];
  return { cells, turn, moves: 20, last: null, discs, result: null };
}

/** Positions from seeded play between two monkeys: openings, middlegames, endings (every 12th ply: each search is a full think, and the test should stay well inside its timeout on a busy machine). */
function positions(): OthelloState[] {
  const out: OthelloState[] = [];
  let s = othelloStart();
  for (let ply = 0; !othello.outcome(s); ply++) {
    if (ply % 12 === 0) out.push(s);
    s = othello.apply(s, chooseMove({ type: 'othello', state: s, agentId: ply % 2 ? 'mentororangutan' : 'speedygibbon', seed: ply }).move);
  }
  return out;
}

describe('the troop plays othello', () => {
  const sample = positions();

  it('every monkey plays a legal move in every sampled position, the same one for the same seed', { timeout: 60_000 }, () => {
    for (const { id } of TROOP) {
      for (const s of sample) {
        const a = chooseMove({ type: 'othello', state: s, agentId: id, seed: 11 });
        expect(othello.illegalReason(s, a.move), `${id} ${a.move.square}`).toBeNull();
        const b = chooseMove({ type: 'othello', state: s, agentId: id, seed: 11 });
        expect(b.move).toEqual(a.move);
        expect(b.reason).toBe(a.reason);
      }
    }
  });

  it('takes a corner when one is there, and says which', () => {
    // a1 is open to both sides (Black flanks b1 against c1, White flanks a2 against a3):
    // whoever waits loses it. Black also has quiet moves in the middle.
    const s = board(['.WB.....', 'B.......', 'W.......', '...WB...', '...BW...', '........', '........', '........'], 0);
    for (const { id } of TROOP.filter((m) => m.id !== 'wildcardlemur')) {
      const r = chooseMove({ type: 'othello', state: s, agentId: id, seed: 3 });
      expect(r.move, id).toEqual({ square: 'a1' });
      expect(r.reasonCode).toBe('corner');
      expect(r.reason).toMatch(/^takes the corner at a1/);
    }
  });

  it('passes when it has no move, and says so', () => {
    const s = board(['BBW.....', '........', '........', '........', '........', '........', '........', '........'], 1);
    const r = chooseMove({ type: 'othello', state: s, agentId: 'championchimp', seed: 1 });
    expect(r.move).toEqual({ square: 'pass' });
    expect(r.reasonCode).toBe('pass');
    expect(r.reason).toMatch(/passes/);
  });

  it('leaves the opponent no move and tells them they must pass', () => {
    // Black b1 flips c1 and d1. White's a4 is then boxed in by Black on the a-file and
    // row 1 (every ray from an empty square through Black ends at the edge): no move.
    const s = board(['B.WWB...', 'B.......', 'B.......', 'W.......', '........', '........', '........', '........'], 0);
    expect(othello.legalMoves(s).map((m) => m.square).sort()).toEqual(['a5', 'b1']);
    const r = chooseMove({ type: 'othello', state: s, agentId: 'trickstermonkey', seed: 1 });
    expect(r.move).toEqual({ square: 'b1' });
    expect(othello.legalMoves(othello.apply(s, r.move))).toEqual([{ square: 'pass' }]);
    expect(r.reasonCode).toBe('squeeze');
    expect(r.reason).toMatch(/leaves you no move: you must pass/);
  });

  it('the reasons name real facts: flips counted from the board, squares in a1–h8 notation', () => {
    for (const s of sample.slice(0, 6)) {
      const r = chooseMove({ type: 'othello', state: s, agentId: 'strategistape', seed: 4 });
      const flips = /flip(?:s|ping only|ping) (\d+) disc/.exec(r.reason);
      if (flips) expect(othello.apply(s, r.move).last?.flipped.length).toBe(Number(flips[1]));
      if (r.move.square !== 'pass') expect(r.reason).toContain(r.move.square);
    }
  });

  it('personalities differ: the seven do not all choose the same moves', () => {
    const choices = TROOP.map(({ id }) => sample.map((s) => chooseMove({ type: 'othello', state: s, agentId: id, seed: 9 }).move.square).join(' '));
    expect(new Set(choices).size).toBeGreaterThanOrEqual(5);
  });

  it('a stronger monkey beats a weaker one over seeded games (MentorOrangutan vs WildcardLemur)', { timeout: 60_000 }, () => {
    let points = 0;
    for (let g = 0; g < 6; g++) {
      const mentorFirst = g % 2 === 0;
      const r = playAgents('othello', mentorFirst ? 'mentororangutan' : 'wildcardlemur', mentorFirst ? 'wildcardlemur' : 'mentororangutan', g);
      const mentorSeat = mentorFirst ? 0 : 1;
      points += r.winner === null ? 0.5 : r.winner === mentorSeat ? 1 : 0;
    }
    expect(points).toBeGreaterThanOrEqual(5);
  });

  it('gives a hint for the player to move in Othello terms', () => {
    const h = hint({ type: 'othello', state: play(othelloStart(), 'd3'), seed: 1 });
    expect(othello.illegalReason(play(othelloStart(), 'd3'), h.move)).toBeNull();
    expect(h.text).toMatch(/^Try [a-h][1-8]: it /);
  });
});
