// One calibration game between two players of any kind: a monkey (the product's own
// chooseMove, at its product parameters), Stockfish at a UCI_Elo level (chess only), or a
// seeded random mover. Returns the first seat's score and each monkey's think times.
import { chessAdjudicate, chooseMove, deriveSeed, mulberry32, type ChooseMoveInput } from '@monkeytown/shared/ai';
import type { AgentId, GameType } from '@monkeytown/shared/schemas';
import { ENGINES, type ChessState } from '@monkeytown/shared/games';
import type { Stockfish } from './stockfish.js';

export type Player =
  | { kind: 'agent'; id: AgentId }
  | { kind: 'stockfish'; elo: number; sf: Stockfish; limit: { depth: number } | { ms: number } }
  | { kind: 'random' };

export const playerName = (p: Player) => (p.kind === 'agent' ? p.id : p.kind === 'stockfish' ? `stockfish-${p.elo}` : 'random');

export interface GameRecord {
  game: GameType;
  /** Seat 0 (White, X, first to drop, Black in Othello) and seat 1, by name. */
  seats: [string, string];
  /** Seat 0's score: 1, 0.5, 0. */
  score: number;
  plies: number;
  opening: string;
  adjudicated: boolean;
  /** Search time (ms, wall) of each monkey move that was searched (root-cache hits left out). */
  think: Record<string, number[]>;
  /** The same moves' CPU time (ms, this process: the search runs on the main thread). */
  cpu?: Record<string, number[]>;
}

/** Chess games still running here are adjudicated on material (a minor piece ahead wins). */
const MAX_CHESS_PLIES = 200;

export async function playGame(type: GameType, seats: [Player, Player], opening: { name: string; moves: unknown[] }, seed: number): Promise<GameRecord> {
  const engine = ENGINES[type] as unknown as {
    initialState(): unknown; apply(s: unknown, m: unknown): unknown; turn(s: unknown): 0 | 1;
    outcome(s: unknown): { winner: 0 | 1 | null } | null; legalMoves(s: unknown): unknown[];
  };
  let state = engine.initialState();
  for (const m of opening.moves) state = engine.apply(state, m);
  for (const p of seats) if (p.kind === 'stockfish') await p.sf.newGame();
  const think: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  const rng = mulberry32(seed);
  let plies = opening.moves.length;
  while (!engine.outcome(state)) {
    if (type === 'chess' && plies >= MAX_CHESS_PLIES) {
      const w = chessAdjudicate(state as ChessState);
      return { game: type, seats: [playerName(seats[0]), playerName(seats[1])], score: w === null ? 0.5 : w === 0 ? 1 : 0, plies, opening: opening.name, adjudicated: true, think, cpu };
    }
    const p = seats[engine.turn(state)];
    let move: unknown;
    if (p.kind === 'agent') {
      const c0 = process.cpuUsage();
      const r = chooseMove({ type, state, agentId: p.id, seed: deriveSeed(seed, String(plies)) } as ChooseMoveInput);
      const c = process.cpuUsage(c0);
      if (!r.stats.cached) {
        (think[p.id] ??= []).push(r.stats.ms);
        (cpu[p.id] ??= []).push((c.user + c.system) / 1000);
      }
      move = r.move;
    } else if (p.kind === 'stockfish') {
      move = { uci: await p.sf.bestMove((state as ChessState).uci, p.limit) };
    } else {
      const moves = engine.legalMoves(state);
      move = moves[Math.floor(rng() * moves.length)];
    }
    state = engine.apply(state, move);
    plies++;
  }
  const w = engine.outcome(state)!.winner;
  return { game: type, seats: [playerName(seats[0]), playerName(seats[1])], score: w === null ? 0.5 : w === 0 ? 1 : 0, plies, opening: opening.name, adjudicated: false, think, cpu };
}
