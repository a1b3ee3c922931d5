import fc from 'fast-check';
import { Chess, validateFen } from 'chess.js';
import { describe, expect, it } from 'vitest';
import { PGN_TERMINATION, pgnTimeControl } from '../src/games/pgn-tags.js';
import { chess, chessPgn, chessStateFromFen, CHESS_START_FEN, type ChessState } from '../src/games/chess/engine.js';
import { IllegalMoveError } from '../src/games/types.js';
import { Board } from '../src/games/chess/board.js';

const play = (s: ChessState, ...ucis: string[]) => ucis.reduce((st, uci) => chess.apply(st, { uci }), s);

/** Leaf count through the engine exactly as the server uses it (legalMoves + apply). */
function perft(s: ChessState, depth: number): number {
  const moves = chess.legalMoves(s);
  if (depth === 1) return moves.length;
  let n = 0;
  for (const m of moves) n += perft(chess.apply(s, m), depth - 1);
  return n;
}

// Published counts (chessprogramming.org/Perft_Results), depths 1..3.
const PERFT: [string, string, number[]][] = [
  ['start position', CHESS_START_FEN, [20, 400, 8902]],
  ['Kiwipete', 'r3k2r/p1ppqpb1/bn2pnp1/3PN3/1p2P3/2N2Q1p/PPPBBPPP/R3K2R w KQkq - 0 1', [48, 2039, 97862]],
  ['position 3 (en passant, pins)', '8/2p5/3p4/KP5r/1R3p1k/8/4P1P1/8 w - - 0 1', [14, 191, 2812]],
  ['position 4 (promotions, castling through check)', 'r3k2r/Pppp1ppp/1b3nbN/nP6/BBP1P3/q4N2/Pp1P2PP/R2Q1RK1 w kq - 0 1', [6, 264, 9467]],
];

describe('chess engine: move generation (perft)', () => {
  for (const [name, fen, counts] of PERFT) {
    it(`${name} matches the published perft counts to depth 3`, () => {
      const s = chessStateFromFen(fen);
      counts.forEach((n, i) => expect(perft(s, i + 1), `depth ${i + 1}`).toBe(n));
    }, 120_000);
  }
});

describe('chess engine: rules', () => {
  it('starts with White to move and 20 legal moves; moves are UCI, the move list SAN', () => {
    const s = chess.initialState();
    expect(chess.turn(s)).toBe(0);
    expect(chess.legalMoves(s)).toHaveLength(20);
    const after = play(s, 'e2e4', 'e7e5', 'g1f3');
    expect(after.san).toEqual(['e4', 'e5', 'Nf3']);
    expect(after.uci).toEqual(['e2e4', 'e7e5', 'g1f3']);
    expect(chess.describeMove(after, { uci: 'b8c6' })).toBe('Nc6');
    expect(after.lastMove).toEqual({ from: 'g1', to: 'f3' });
    expect(chess.meta.seats).toEqual(['White', 'Black']);
  });

  it('castles both ways, takes en passant and promotes to the piece asked for', () => {
    const castled = play(chessStateFromFen('r3k2r/8/8/8/8/8/8/R3K2R w KQkq - 0 1'), 'e1g1', 'e8c8');
    expect(castled.san).toEqual(['O-O', 'O-O-O']);
    expect(castled.fen.split(' ')[0]).toBe('2kr3r/8/8/8/8/8/8/R4RK1');
    const ep = play(chess.initialState(), 'e2e4', 'a7a6', 'e4e5', 'd7d5', 'e5d6');
    expect(ep.san.at(-1)).toBe('exd6');
    expect(ep.fen.split(' ')[0]).toBe('rnbqkbnr/1pp1pppp/p2P4/8/8/8/PPPP1PPP/RNBQKBNR');
    const promo = chessStateFromFen('8/4P3/8/8/8/k7/8/K7 w - - 0 1');
    expect(chess.legalMoves(promo).map((m) => m.uci).filter((u) => u.startsWith('e7')).sort()).toEqual(['e7e8b', 'e7e8n', 'e7e8q', 'e7e8r']);
    expect(play(promo, 'e7e8n').fen.split(' ')[0]).toBe('4N3/8/8/8/8/k7/8/K7');
  });

  it('refuses illegal moves with a reason a player can act on', () => {
    const s = chess.initialState();
    expect(chess.illegalReason(s, { uci: 'e2e5' })).toBe('e2-e5 is not a legal move');
    expect(chess.illegalReason(s, { uci: 'e7e5' })).toBe('the piece on e7 is not yours');
    expect(chess.illegalReason(s, { uci: 'e3e4' })).toBe('there is no piece on e3');
    expect(chess.illegalReason(s, { uci: 'e2e4q' })).toBe('e2-e4 is not a promotion');
    expect(chess.illegalReason(s, { cell: 3 } as never)).toMatch(/UCI/);
    expect(chess.illegalReason(chessStateFromFen('8/4P3/8/8/8/k7/8/K7 w - - 0 1'), { uci: 'e7e8' })).toMatch(/promotes: add the piece/);
    const checked = play(s, 'e2e4', 'd7d5', 'f1b5');
    expect(checked.check).toBe(true);
    expect(chess.illegalReason(checked, { uci: 'a7a6' })).toBe('a7-a6 does not get your king out of check');
    expect(() => chess.apply(s, { uci: 'e2e5' })).toThrow(IllegalMoveError);
  });

  it('checkmate ends the game for the side that mated', () => {
    const s = play(chess.initialState(), 'f2f3', 'e7e5', 'g2g4', 'd8h4');
    expect(s.result).toEqual({ winner: 1, ending: 'checkmate' });
    expect(chess.outcome(s)).toEqual({ winner: 1, detail: 'checkmate' });
    expect(chess.legalMoves(s)).toEqual([]);
    expect(chess.illegalReason(s, { uci: 'a2a3' })).toBe('the game is over');
    expect(s.san.at(-1)).toBe('Qh4#');
  });
});

describe('chess engine: every draw rule', () => {
  it('stalemate', () => {
    const s = play(chessStateFromFen('7k/5K2/8/6Q1/8/8/8/8 w - - 0 1'), 'g5g6');
    expect(s.result).toEqual({ winner: null, ending: 'stalemate' });
    expect(chess.outcome(s)).toEqual({ winner: null, detail: 'stalemate' });
  });

  it('threefold repetition (the same position, side and rights three times)', () => {
    const twice = play(chess.initialState(), 'g1f3', 'g8f6', 'f3g1', 'f6g8');
    expect(twice.result).toBeNull();
    const thrice = play(twice, 'g1f3', 'g8f6', 'f3g1');
    expect(thrice.result).toBeNull();
    const drawn = play(thrice, 'f6g8');
    expect(drawn.result).toEqual({ winner: null, ending: 'threefold' });
    expect(chess.outcome(drawn)).toEqual({ winner: null, detail: 'threefold repetition' });
  });

  it('repetition counts only positions with the same castling rights', () => {
    // The king steps out and back: the same squares, but White has lost castling rights.
    // The start squares come back at plies 4 and 8, but the start had castling rights.
    const s = play(chessStateFromFen('r3k3/8/8/8/8/8/8/4K2R w Kq - 0 1'), 'e1f1', 'a8b8', 'f1e1', 'b8a8', 'e1f1', 'a8b8', 'f1e1', 'b8a8');
    expect(s.fen.split(' ')[0]).toBe('r3k3/8/8/8/8/8/8/4K2R');
    expect(s.result).toBeNull();
    // The position after ply 2 comes back a third time at ply 10.
    expect(play(s, 'e1f1', 'a8b8').result).toEqual({ winner: null, ending: 'threefold' });
  });

  it('fifty-move rule: the hundredth half-move without a capture or pawn move draws', () => {
    const s = chessStateFromFen('8/8/8/4k3/8/8/8/R3K3 w - - 98 80');
    const one = play(s, 'a1a2');
    expect(one.result).toBeNull();
    const drawn = play(one, 'e5e4');
    expect(drawn.result).toEqual({ winner: null, ending: 'fifty-move' });
    expect(chess.outcome(drawn)).toEqual({ winner: null, detail: 'the fifty-move rule' });
    // A pawn move resets the count.
    expect(play(chessStateFromFen('8/8/8/4k3/8/8/P7/4K3 w - - 99 80'), 'a2a3').result).toBeNull();
  });

  it('checkmate on the hundredth half-move is still a win', () => {
    const s = play(chessStateFromFen('k7/8/1K6/8/8/8/8/7R w - - 99 80'), 'h1h8');
    expect(s.result).toEqual({ winner: 0, ending: 'checkmate' });
    expect(chess.outcome(s)).toEqual({ winner: 0, detail: 'checkmate' });
  });

  it('insufficient material: K v K, K+minor v K, same-coloured bishops', () => {
    const bare = chessStateFromFen('8/8/8/4k3/8/8/3nK3/8 w - - 0 1');
    expect(bare.result).toEqual({ winner: null, ending: 'insufficient-material' });
    expect(chess.outcome(bare)).toEqual({ winner: null, detail: 'insufficient material' });
    expect(play(chessStateFromFen('8/8/8/4k3/8/8/3rK3/8 w - - 0 1'), 'e2d2').result).toEqual({ winner: null, ending: 'insufficient-material' });
    expect(play(chessStateFromFen('8/8/8/4k3/8/8/3rK1N1/8 w - - 0 1'), 'e2d2').result).toEqual({ winner: null, ending: 'insufficient-material' });
    expect(chessStateFromFen('8/8/8/2b1k3/8/8/4KB2/8 w - - 0 1').result).toEqual({ winner: null, ending: 'insufficient-material' });
    // Opposite-coloured bishops can still mate: play on.
    expect(chessStateFromFen('8/8/8/3bk3/8/8/4KB2/8 w - - 0 1').result).toBeNull();
  });
});

describe('chess engine: PGN', () => {
  it('exports a game that chess.js reads back to the same final position', () => {
    const s = play(chess.initialState(), 'e2e4', 'e7e5', 'g1f3', 'b8c6', 'f1c4', 'g8f6', 'e1g1', 'f8c5');
    const pgn = chessPgn(s, { white: 'Ana', black: '🏆 ChampionChimp', date: new Date('2026-11-30T10:00:00Z'), winner: 1 });
    expect(pgn).toContain('[White "Ana"]');
    expect(pgn).toContain('[Date "2026.11.30"]');
    expect(pgn).toContain('[Result "0-1"]');
    expect(pgn).toContain('4. O-O Bc5 0-1');
    const back = new Chess();
    back.loadPgn(pgn);
    expect(back.fen()).toBe(s.fen);
  });

  it('writes how and when it ended, the ratings and the reasons (comments after their moves)', () => {
    const s = play(chess.initialState(), 'e2e4', 'e7e5', 'g1f3');
    const pgn = chessPgn(s, {
      white: 'Ana', black: 'Bo', date: new Date('2026-11-30T09:05:07Z'), url: 'https://mt.example/games/1',
      result: { winner: null, reason: 'timeout', detail: 'insufficient material' }, clock: { initialSeconds: 180, incrementSeconds: 2 },
      ratings: [1512.4, null], comments: [null, 'takes the {centre}\nat once', null],
    });
    const back = new Chess();
    back.loadPgn(pgn);
    expect(back.getHeaders()).toMatchObject({
      Site: 'https://mt.example/games/1', Result: '1/2-1/2', Termination: 'time forfeit', TimeControl: '180+2',
      WhiteElo: '1512', BlackElo: '-', Date: '2026.11.30', UTCDate: '2026.11.30', UTCTime: '09:05:07',
    });
    expect(back.getComments()).toEqual([{ fen: back.history({ verbose: true })[1]!.after, comment: 'takes the (centre) at once' }]);
    expect(back.fen()).toBe(s.fen);
  });

  it('names every way a game ends with a PGN Termination', () => {
    expect(PGN_TERMINATION).toEqual({
      win: 'normal', draw: 'normal', resign: 'normal', agreement: 'normal', timeout: 'time forfeit',
      aborted: 'abandoned', abandoned: 'abandoned', left: 'abandoned',
    });
    expect(pgnTimeControl(null)).toBe('-');
    expect(pgnTimeControl({ initialSeconds: 60, incrementSeconds: 0 })).toBe('60+0');
  });

  it('records a custom start with SetUp/FEN', () => {
    const s = play(chessStateFromFen('8/4P3/8/8/8/k7/8/K7 w - - 0 1'), 'e7e8q');
    const back = new Chess();
    back.loadPgn(chessPgn(s, { white: 'a', black: 'b' }));
    expect(back.fen()).toBe(s.fen);
  });
});

describe('chess engine: random legal games (property)', () => {
  it('never reaches an illegal state, and ends exactly when chess.js says so', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 160 }), (picks) => {
        let s = chess.initialState();
        const shadow = new Chess();
        for (const pick of picks) {
          const legal = chess.legalMoves(s);
          expect(legal.length === 0).toBe(s.result !== null);
          if (legal.length === 0) break;
          const m = legal[pick % legal.length]!;
          expect(chess.illegalReason(s, m)).toBeNull();
          s = chess.apply(s, m);
          shadow.move({ from: m.uci.slice(0, 2), to: m.uci.slice(2, 4), ...(m.uci[4] ? { promotion: m.uci[4] } : {}) });
          expect(validateFen(s.fen).ok).toBe(true);
          expect(s.fen).toBe(shadow.fen());
          expect(s.check).toBe(shadow.inCheck());
          expect(s.result !== null).toBe(shadow.isGameOver());
          expect(s.turn).toBe(shadow.turn() === 'w' ? 0 : 1);
          expect(JSON.parse(JSON.stringify(s))).toEqual(s);
        }
      }),
      { numRuns: 40, seed: 11 },
    );
  }, 120_000);
});

describe('chess search board (used by the engine and the AI)', () => {
  it('matches the published perft counts to depth 4 on five positions', () => {
    const cases: [string, number][] = [
      [CHESS_START_FEN, 197281],
      ['r3k2r/p1ppqpb1/bn2pnp1/3PN3/1p2P3/2N2Q1p/PPPBBPPP/R3K2R w KQkq - 0 1', 4085603],
      ['8/2p5/3p4/KP5r/1R3p1k/8/4P1P1/8 w - - 0 1', 43238],
      ['r3k2r/Pppp1ppp/1b3nbN/nP6/BBP1P3/q4N2/Pp1P2PP/R2Q1RK1 w kq - 0 1', 422333],
      ['rnbq1k1r/pp1Pbppp/2p5/8/2B5/8/PPP1NnPP/RNBQK2R w KQ - 1 8', 2103487],
    ];
    for (const [fen, n] of cases) {
      const b = Board.fromFen(fen);
      const hash = [b.hashLo, b.hashHi];
      expect(b.perft(4), fen).toBe(n);
      expect([b.hashLo, b.hashHi]).toEqual(hash); // make/unmake restores everything
    }
  }, 120_000);
});
