import type { AgentId, Connect4Move, TicTacToeMove } from '../schemas/games.js';
import { connect4, type Connect4State } from '../games/connect4.js';
import { tictactoe, tttCellName, type TicTacToeState } from '../games/tictactoe.js';
import { c4Choose } from './connect4/choose.js';
import { personalityOf } from './profiles.js';
import { hintText, phrase, type Explanation } from './reason.js';
import { deriveSeed, mulberry32 } from './rng.js';
import { tttChoose, tttExplain } from './tictactoe.js';

export type ChooseMoveInput =
  | { type: 'tictactoe'; state: TicTacToeState; agentId: AgentId; seed: number }
  | { type: 'connect4'; state: Connect4State; agentId: AgentId; seed: number };

export interface ChooseMoveResult<M = TicTacToeMove | Connect4Move> {
  move: M;
  /** Short human sentence in the agent's voice, e.g. "blocks your three in column 4". */
  reason: string;
  /** Stable code of the idea behind the move ("win", "block", "fork", ...). */
  reasonCode: Explanation['code'];
  /** Search effort: nodes and depth of the search behind the move; `cached` when the root
   *  result was reused from an identical earlier search (same position and parameters). */
  stats: { nodes: number; depth: number; ms: number; cached?: boolean };
}

/**
 * The agent's move for the side to move in `state`. Deterministic: the same input
 * (including `seed`) gives the same move and reason; only `stats.ms` varies.
 * Throws when the game is over or the type has no AI.
 */
export function chooseMove(input: Extract<ChooseMoveInput, { type: 'tictactoe' }>): ChooseMoveResult<TicTacToeMove>;
export function chooseMove(input: Extract<ChooseMoveInput, { type: 'connect4' }>): ChooseMoveResult<Connect4Move>;
export function chooseMove(input: ChooseMoveInput): ChooseMoveResult;
export function chooseMove(input: ChooseMoveInput): ChooseMoveResult {
  const t0 = performance.now();
  const who = personalityOf(input.agentId);
  const rng = mulberry32(deriveSeed(input.seed, input.agentId, input.type, 'move'));
  if (input.type === 'tictactoe') {
    if (tictactoe.outcome(input.state)) throw new Error('the game is over');
    const c = tttChoose(input.state, who.tictactoe, rng);
    const explanation = tttExplain(input.state, c.cell, c.depth >= 9 - input.state.moves ? c.score : null);
    const e = c.blunder && ['centre', 'corner', 'edge'].includes(explanation.code)
      ? { ...explanation, code: 'hunch' as const, plain: `${explanation.plain} on a hunch` }
      : explanation;
    return {
      move: { cell: c.cell },
      reason: phrase(who.voice, e),
      reasonCode: e.code,
      stats: { nodes: c.nodes, depth: c.depth, ms: performance.now() - t0 },
    };
  }
  if (input.type === 'connect4') {
    if (connect4.outcome(input.state)) throw new Error('the game is over');
    const c = c4Choose(input.state, who.connect4, rng);
    return {
      move: { column: c.column },
      reason: phrase(who.voice, c.explanation),
      reasonCode: c.explanation.code,
      stats: { nodes: c.nodes, depth: c.depth, ms: performance.now() - t0, cached: c.cached },
    };
  }
  throw new Error(`no AI for game type "${(input as { type: string }).type}"`);
}

/** Game types the troop can play. */
export const AI_GAME_TYPES = ['tictactoe', 'connect4'] as const;

/**
 * A natural "thinking" pause for an agent (ms), deterministic per seed: the server waits
 * this long (minus the real search time) before showing the move. SpeedyGibbon is quickest.
 */
export function thinkDelayMs(agentId: AgentId, seed: number): number {
  const { delayMs } = personalityOf(agentId);
  const r = mulberry32(deriveSeed(seed, agentId, 'delay'))();
  return Math.round(delayMs.min + r * (delayMs.max - delayMs.min));
}

export interface HintResult<M = TicTacToeMove | Connect4Move> {
  move: M;
  /** "Try column 4: it blocks their three in column 4 — lesson …" (MentorOrangutan's hint). */
  text: string;
  reasonCode: Explanation['code'];
}

/**
 * MentorOrangutan's hint for whoever is to move: a strong move (StrategistApe's search,
 * no randomness) explained as a lesson, addressed to the player.
 */
export function hint(input: Omit<ChooseMoveInput, 'agentId'>): HintResult {
  const params = personalityOf('strategistape');
  const rng = mulberry32(deriveSeed(input.seed, 'hint', input.type));
  if (input.type === 'tictactoe') {
    const state = input.state as TicTacToeState;
    if (tictactoe.outcome(state)) throw new Error('the game is over');
    const c = tttChoose(state, { ...params.tictactoe, temperature: 0, blunderRate: 0 }, rng);
    const e = tttExplain(state, c.cell, c.score);
    return { move: { cell: c.cell }, text: hintText(tttCellName(c.cell), e), reasonCode: e.code };
  }
  const state = input.state as Connect4State;
  if (connect4.outcome(state)) throw new Error('the game is over');
  const c = c4Choose(state, { ...params.connect4, temperature: 0, blunderRate: 0 }, rng);
  return { move: { column: c.column }, text: hintText(`column ${c.column + 1}`, c.explanation), reasonCode: c.explanation.code };
}
