import type { AgentId, ClockSettings } from '../schemas/game-basics.js';
import type { GameAi, SearchParams } from '../ai/types.js';
import type { GameEngine, GameMeta, TimeControl } from './types.js';

/**
 * A game as one module: everything Monkeytown needs to know about a game, declared once in
 * its folder (`games/<type>/index.ts`) and listed once in `GAMES` (games/catalog.ts). Every
 * registry — the zod GameType and Move, ENGINES, GAME_AI, metadata, time controls, the
 * troop's parameters — is derived from that list, so a game missing a part is a type error
 * here, not a gap somebody finds in production.
 *
 * This file sits below the list: it imports only the game-independent schemas and the AI
 * kit's types, never a game or the list itself (see docs/architecture.md, "Adding a game").
 */

/** Something a game loads on first need (chess: chess.js), so a server or another game's page does not pay for it. */
export interface LazyRules {
  load(): Promise<void>;
  loaded(): boolean;
}

/** The troop's side of a game: its AI (search, reasons) and each monkey's parameters for it. */
export interface TroopPart<S, M, P extends SearchParams> {
  readonly ai: GameAi<S, M, P>;
  /** One row per monkey: the personality in this game's terms. */
  readonly params: { readonly [A in AgentId]: P };
  /** One rating per monkey, measured (bench/ai/calibrate.ts): the server seeds agents' ratings from it. */
  readonly ratings: { readonly [A in AgentId]: number };
}

export interface GameModule<K extends string = string, S = unknown, M = unknown, P extends SearchParams = SearchParams> {
  readonly type: K;
  /** The rules and the hooks the server asks (outcome, notation, canStillWin, record). */
  readonly engine: GameEngine<S, M>;
  /** Lobby card, titles, seat names (the engine's `meta`, here for readers of the list). */
  readonly meta: GameMeta;
  /** The presets the new-game form offers (untimed is always possible too). */
  readonly timeControls: readonly TimeControl[];
  /** What the rules load on first need, or null when they need nothing. */
  readonly lazy: LazyRules | null;
  /**
   * The troop's part, loaded apart from the rules: the AI searches are most of a game's
   * code and only the server's AI (and a hint button, on demand) runs them, so pages
   * that import the game list — the lobby does, through the API schemas — do not ship them.
   */
  readonly troop: () => Promise<TroopPart<S, M, P>>;
}

export interface GameDefinition<K extends string, S, M, P extends SearchParams> {
  type: K;
  engine: GameEngine<S, M>;
  timeControls: readonly TimeControl[];
  /** Omit when the rules need nothing loaded. */
  lazy?: LazyRules;
  troop: () => Promise<TroopPart<S, M, P>>;
}

/** One game, declared in its own folder; the result is its entry in GAMES. */
export function defineGame<const K extends string, S, M, P extends SearchParams>(def: GameDefinition<K, S, M, P>): GameModule<K, S, M, P> {
  if (def.engine.type !== def.type) throw new Error(`game "${def.type}" has the engine of "${def.engine.type}"`);
  return { type: def.type, engine: def.engine, meta: def.engine.meta, timeControls: def.timeControls, lazy: def.lazy ?? null, troop: def.troop };
}

/** "3+2" (minutes + seconds per move), "15s+2" under a whole minute: for presets and any stored clock. */
export function timeControlLabel({ initialSeconds, incrementSeconds }: ClockSettings): string {
  return initialSeconds >= 60 && initialSeconds % 60 === 0
    ? `${initialSeconds / 60}+${incrementSeconds}`
    : `${initialSeconds}s+${incrementSeconds}`;
}

/** A preset: `timeControl(180, 2)` is "3+2". */
export const timeControl = (initialSeconds: number, incrementSeconds: number): TimeControl => ({
  initialSeconds,
  incrementSeconds,
  label: timeControlLabel({ initialSeconds, incrementSeconds }),
});
