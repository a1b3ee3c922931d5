import type { AgentId, GameType } from '../schemas/games.js';
import { ENGINES, GAME_TYPES, type MoveOf, type StateOf } from '../games/index.js';
import { personalityOf } from './profiles.js';
import { hintText, phrase, type Explanation } from './reason.js';
import { GAME_AI, type ParamsOf } from './registry.js';
import { deriveSeed, mulberry32 } from './rng.js';
import type { GameAi } from './types.js';

/** A move request for game K; the union over all games is what the server sends. */
export type ChooseMoveFor<K extends GameType> = { type: K; state: StateOf<K>; agentId: AgentId; seed: number };
export type ChooseMoveInput = { [K in GameType]: ChooseMoveFor<K> }[GameType];

export interface ChooseMoveResult<M = MoveOf<GameType>> {
  move: M;
  /** Short human sentence in the agent's voice, e.g. "blocks your three in column 4". */
  reason: string;
  /** Stable code of the idea behind the move ("win", "block", "fork", ...). */
  reasonCode: Explanation['code'];
  /** Search effort: nodes and depth of the search behind the move; `cached` when the root
   *  result was reused from an identical earlier search (same position and parameters). */
  stats: { nodes: number; depth: number; ms: number; cached?: boolean };
}

/** Game types the troop can play: all of them (the AI registry is exhaustive). */
export const AI_GAME_TYPES: readonly GameType[] = GAME_TYPES;

/**
 * The game's AI and engine, looked up by name. A name that is not a game throws: there
 * is no fallback to another game's search.
 */
function lookup<K extends GameType>(type: K) {
  if (!Object.prototype.hasOwnProperty.call(GAME_AI, type)) throw new Error(`no AI for game type "${String(type)}"`);
  // The registries are mapped over GameType, so entry K of each belongs to game K.
  const ai = GAME_AI[type] as unknown as GameAi<StateOf<K>, MoveOf<K>, ParamsOf<K>>;
  const engine = ENGINES[type] as unknown as { outcome(s: StateOf<K>): unknown };
  return { ai, engine };
}

/**
 * The agent's move for the side to move in `state`. Deterministic: the same input
 * (including `seed`) gives the same move and reason; only `stats.ms` varies.
 * Throws when the game is over or the type is not a game.
 */
export function chooseMove<K extends GameType>(input: ChooseMoveFor<K>): ChooseMoveResult<MoveOf<K>> {
  const t0 = performance.now();
  const who = personalityOf(input.agentId);
  const rng = mulberry32(deriveSeed(input.seed, input.agentId, input.type, 'move'));
  const { ai, engine } = lookup(input.type);
  if (engine.outcome(input.state)) throw new Error('the game is over');
  const c = ai.choose(input.state, who.games[input.type] as ParamsOf<K>, rng);
  return {
    move: c.move,
    reason: phrase(who.voice, c.explanation),
    reasonCode: c.explanation.code,
    stats: { nodes: c.nodes, depth: c.depth, ms: performance.now() - t0, ...(c.cached === undefined ? {} : { cached: c.cached }) },
  };
}

/**
 * A natural "thinking" pause for an agent (ms), deterministic per seed: the server waits
 * this long (minus the real search time) before showing the move. SpeedyGibbon is quickest.
 */
export function thinkDelayMs(agentId: AgentId, seed: number): number {
  const { delayMs } = personalityOf(agentId);
  const r = mulberry32(deriveSeed(seed, agentId, 'delay'))();
  return Math.round(delayMs.min + r * (delayMs.max - delayMs.min));
}

/**
 * Does an agent on `agentSeat` accept a draw offer in this game (the game's own rule, its AI's
 * `acceptsDraw`)? False for a name that is not a game.
 */
export function agentAcceptsDraw(type: string, state: unknown, agentSeat: 0 | 1, moveCount: number): boolean {
  if (!Object.prototype.hasOwnProperty.call(GAME_AI, type)) return false;
  const ai = GAME_AI[type as GameType] as unknown as GameAi<unknown, unknown, never>;
  return ai.acceptsDraw(state, agentSeat, moveCount);
}

export interface HintResult<M = MoveOf<GameType>> {
  move: M;
  /** "Try column 4: it blocks their three in column 4 — lesson …" (MentorOrangutan's hint). */
  text: string;
  reasonCode: Explanation['code'];
}

/**
 * MentorOrangutan's hint for whoever is to move: a strong move (StrategistApe's search,
 * no randomness) explained as a lesson, addressed to the player.
 */
export function hint<K extends GameType>(input: Omit<ChooseMoveFor<K>, 'agentId'>): HintResult<MoveOf<K>> {
  const { ai, engine } = lookup(input.type);
  if (engine.outcome(input.state)) throw new Error('the game is over');
  const params = { ...personalityOf('strategistape').games[input.type], temperature: 0, blunderRate: 0 } as ParamsOf<K>;
  const rng = mulberry32(deriveSeed(input.seed, 'hint', input.type));
  const c = ai.choose(input.state, params, rng);
  return { move: c.move, text: hintText(ai.moveName(input.state, c.move), c.explanation), reasonCode: c.explanation.code };
}
