import type { z } from 'zod';
import type { ClockSettings, GameResult, Seat } from '../schemas/game-basics.js';

/** Thrown by an engine for a move the rules do not allow; `reason` is shown to the player. */
export class IllegalMoveError extends Error {
  constructor(public readonly reason: string) {
    super(reason);
    this.name = 'IllegalMoveError';
  }
}

/** A time control people pick from: "3+2" is 3 minutes each plus 2 seconds per move. */
export interface TimeControl extends ClockSettings {
  label: string;
}

/** What people see about a game: lobby card, titles, seat names in player strips. */
export interface GameMeta {
  title: string;
  /** One line for the lobby card. */
  blurb: string;
  /** How each seat is named ("X"/"O", "White"/"Black"); seat 0 moves first. */
  seats: readonly [string, string];
}

/**
 * How a position ended the game: the winner (null for a draw), the winning line for the
 * board to highlight, and `detail`, the rule that decided it in the words a player
 * reads after "by" ("three in a row", "checkmate", "a full board", ...): it becomes
 * `GameResult.detail`.
 */
export type EngineOutcome = Pick<GameResult, 'winner' | 'line'> & { detail: string };

/** Who played, where, when and how it ended, for a game record's headers. */
export interface RecordTags {
  /** Names by seat (seat 0 moves first). */
  players: readonly [string, string];
  /** When the game started (both seats taken): the Date, UTCDate and UTCTime tags. */
  date?: Date;
  site?: string;
  event?: string;
  /** The game's winner when it ended outside the rules (resignation, timeout); else from the state. */
  winner?: Seat | null;
  /** How the game ended (null: still going): the score and the Termination tag; wins over `winner`. */
  result?: GameResult | null;
  /** The time control (null: untimed); undefined leaves the tag out. */
  clock?: ClockSettings | null;
  /** Each seat's rating when the game started (null: unknown). */
  ratings?: readonly [number | null, number | null];
  /** Where the game can be watched again (its page on the site). */
  url?: string;
  /** Why each ply was played, by ply (the monkeys' reasons; null: none): comments after the moves. */
  comments?: readonly (string | null)[];
}

/**
 * A standard text record of a game that other programs read (chess: PGN), served for
 * download at GET /api/games/:id/pgn and offered on the replay page.
 */
export interface GameRecord<S> {
  /** What the download is called: "PGN". */
  name: string;
  /** Content type of the download, e.g. "application/x-chess-pgn". */
  mime: string;
  /** File extension without the dot. */
  extension: string;
  write(state: S, tags: RecordTags): string;
}

/**
 * One game's rules, as one declarative module (boardgame.io style). Engines are pure
 * and deterministic: states are plain JSON (stored in Postgres as jsonb, sent to
 * browsers), and nothing here touches time, randomness or I/O.
 */
export interface GameEngine<S = unknown, M = unknown> {
  /** The game's name in the list (games/catalog.ts checks it matches the entry's key). */
  readonly type: string;
  readonly meta: GameMeta;
  /** zod schema of one move of this game. */
  readonly moveSchema: z.ZodType<M>;
  initialState(): S;
  /** Seat to move (meaningless once the game is over). */
  turn(state: S): Seat;
  legalMoves(state: S): M[];
  /** Why `move` is illegal in `state`, or null when it is legal. */
  illegalReason(state: S, move: M): string | null;
  /** The state after `move`; throws IllegalMoveError when illegal. */
  apply(state: S, move: M): S;
  /** The result once the game is over, else null. */
  outcome(state: S): EngineOutcome | null;
  /** What everyone may see (all of these games have perfect information). */
  publicView(state: S): unknown;
  /** Short text for a move in move lists, e.g. "b2", "col 4", "e4". */
  describeMove(state: S, move: M): string;
  /**
   * Could `seat` still win at all from here (asked when its opponent's flag falls: a
   * side that cannot win gets a draw, not the win)? Chess: mating material; games where
   * any position can still be won say true.
   */
  canStillWin(state: S, seat: Seat): boolean;
  /** The game's standard record format, or null when it has none (a required member, so a game says so). */
  readonly record: GameRecord<S> | null;
}
