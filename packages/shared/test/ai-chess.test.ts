import { describe, expect, it } from 'vitest';
import { chessAdjudicate, chooseMove, hint, PERSONALITIES, playAgents, TROOP } from '../src/ai/index.js';
import { chess, chessStateFromFen, type ChessState } from '../src/games/index.js';

const play = (s: ChessState, ...ucis: string[]) => ucis.reduce((st, uci) => chess.apply(st, { uci }), s);

describe('the troop plays chess', () => {
  it('every personality mates in one when it can (except on a wild hunch) and says so', () => {
    // Scholar's mate is on: Qxf7#.
    const s = play(chess.initialState(), 'e2e4', 'e7e5', 'f1c4', 'b8c6', 'd1h5', 'g8f6');
    for (const { id } of TROOP) {
      if (id === 'wildcardlemur') continue;
      const r = chooseMove({ type: 'chess', state: s, agentId: id, seed: 5 });
      expect(r.move, id).toEqual({ uci: 'h5f7' });
      expect(r.reasonCode).toBe('win');
      expect(r.reason).toMatch(/checkmates with Qxf7#/);
    }
  });

  it('sees a forced mate and names it with the line', () => {
    // Back-rank mate in two: Rd8+ Rxd8 Rxd8#.
    const s = chessStateFromFen('r5k1/5ppp/8/8/8/8/3R1PPP/3R2K1 w - - 0 1');
    const r = chooseMove({ type: 'chess', state: s, agentId: 'championchimp', seed: 1 });
    expect(r.reasonCode).toBe('forced-win');
    expect(r.reason).toMatch(/^sees mate in 2: Rd8\+ Rxd8 Rxd8#$/);
    const mate = chessStateFromFen('6k1/5ppp/8/8/8/8/5PPP/3RR1K1 w - - 0 1');
    const m = chooseMove({ type: 'chess', state: mate, agentId: 'championchimp', seed: 1 });
    expect(m.reason).toMatch(/checkmates with R[de]8#/);
  });

  it('wins material when it is there and says which piece, with the line', () => {
    // A hanging queen.
    const s = chessStateFromFen('4k3/8/8/3q4/8/8/3R4/4K3 w - - 0 1');
    const r = chooseMove({ type: 'chess', state: s, agentId: 'strategistape', seed: 2 });
    expect(r.move).toEqual({ uci: 'd2d5' });
    expect(r.reason).toMatch(/wins the queen: Rxd5/);
  });

  it('castles for king safety and explains it', () => {
    const s = chessStateFromFen('r1bqk2r/pppp1ppp/2n2n2/2b1p3/2B1P3/5N2/PPPP1PPP/RNBQK2R w KQkq - 4 4');
    const reasons = new Set<string>();
    for (let seed = 0; seed < 4; seed++) {
      const r = chooseMove({ type: 'chess', state: s, agentId: 'guardiangorilla', seed });
      reasons.add(r.reasonCode);
      if (r.move.uci === 'e1g1') expect(r.reason).toMatch(/castles \(O-O\) to get the king safe/);
    }
    expect(reasons.size).toBeGreaterThan(0);
  });

  it('is deterministic per seed and within its node budget', () => {
    const s = play(chess.initialState(), 'e2e4', 'c7c5');
    const a = chooseMove({ type: 'chess', state: s, agentId: 'trickstermonkey', seed: 9 });
    const b = chooseMove({ type: 'chess', state: s, agentId: 'trickstermonkey', seed: 9 });
    expect(b.move).toEqual(a.move);
    expect(b.reason).toBe(a.reason);
    expect(a.stats.nodes).toBeLessThanOrEqual(PERSONALITIES.trickstermonkey.games.chess.nodeBudget + 1);
  });

  it('MentorOrangutan hints in chess: a legal move and a lesson in SAN', () => {
    const s = play(chess.initialState(), 'e2e4', 'e7e5', 'f1c4', 'b8c6', 'd1h5', 'g8f6');
    const h = hint({ type: 'chess', state: s, seed: 1 });
    expect(h.move).toEqual({ uci: 'h5f7' });
    expect(h.text).toMatch(/^Try Qxf7#: it checkmates/);
  });

  it('ChampionChimp beats WildcardLemur (seeded games, alternating colours)', () => {
    let score = 0;
    for (let g = 0; g < 2; g++) {
      const [w, b] = g % 2 === 0 ? (['championchimp', 'wildcardlemur'] as const) : (['wildcardlemur', 'championchimp'] as const);
      const r = playAgents('chess', w, b, 100 + g, { maxPlies: 120, adjudicate: (st) => chessAdjudicate(st as ChessState) });
      const champSeat = g % 2 === 0 ? 0 : 1;
      score += r.winner === champSeat ? 1 : r.winner === null ? 0.5 : 0;
    }
    expect(score).toBe(2);
  }, 120_000);
});
