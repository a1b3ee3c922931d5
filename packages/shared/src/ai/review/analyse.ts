import type { Seat } from '../../schemas/game-basics.js';
import type { GameEngine } from '../../games/types.js';
import type { PositionAnalysis, ReviewKit } from './types.js';

/** One ply of the game as the review sees it. */
export interface PlyAnalysis<S, M> {
  /** 1-based ply number. */
  ply: number;
  mover: Seat;
  before: S;
  played: M;
  after: S;
  /** The search of `before` (the better move and its line). */
  search: PositionAnalysis<M>;
  /** The search of `after` from the opponent's side (null: the game ended with this move). */
  reply: PositionAnalysis<M> | null;
  /** The mover's winning chance before the move (with best play) and after it (0..1). */
  bestChance: number;
  playedChance: number;
  /** bestChance - playedChance, never below 0 (a search can like the played move better). */
  loss: number;
}

/**
 * Replays the game and searches every position once, from the side to move. Each
 * position's chance, seen from the side that just moved, is the chance its move kept;
 * the difference with the chance before the move is what the move gave away.
 */
export function analyseGame<S, M>(engine: GameEngine<S, M>, kit: ReviewKit<S, M>, final: S, moves: readonly M[]) {
  const states: S[] = [kit.start(final)];
  for (const m of moves) states.push(engine.apply(states[states.length - 1]!, m));
  const searches = states.map((s) => kit.analyse(s));
  /** Seat 0's winning chance in each position (0..1). */
  const seat0 = states.map((s, i) => {
    const a = searches[i];
    if (!a) {
      const o = engine.outcome(s);
      return o === null || o.winner === null ? 0.5 : o.winner === 0 ? 1 : 0;
    }
    const e = kit.expectation(a.score);
    return engine.turn(s) === 0 ? e : 1 - e;
  });
  const plies: PlyAnalysis<S, M>[] = [];
  for (let i = 0; i < moves.length; i++) {
    const before = states[i]!;
    const search = searches[i];
    if (!search) break; // a move after the end cannot happen in a stored game
    const mover = engine.turn(before);
    const chanceOf = (k: number) => (mover === 0 ? seat0[k]! : 1 - seat0[k]!);
    const bestChance = chanceOf(i);
    const playedChance = chanceOf(i + 1);
    // The best move gave nothing away, whatever a search of a different depth says after it.
    const wasBest = JSON.stringify(moves[i]) === JSON.stringify(search.best);
    plies.push({
      ply: i + 1, mover, before, played: moves[i]!, after: states[i + 1]!, search, reply: searches[i + 1] ?? null,
      bestChance, playedChance, loss: wasBest ? 0 : Math.max(0, Math.min(1, bestChance - playedChance)),
    });
  }
  return { plies, curve: seat0 };
}
