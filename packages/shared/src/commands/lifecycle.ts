import type { ErrorCode } from '../schemas/errors.js';
import type { GameStatus } from '../schemas/games.js';

/**
 * What a player (or the system) can ask of one game. Each is one command of the server's
 * pipeline; the web offers a button for a player's command only where this table allows it.
 */
export const GAME_COMMANDS = [
  'join',
  'move',
  'resign',
  'chat',
  'offer.draw',
  'offer.takeback',
  'offer.rematch',
  'claim',
  'abort',
  /** The system's: a deadline (flag, idle game, open seat nobody took) passed. */
  'deadline',
] as const;
export type GameCommand = (typeof GAME_COMMANDS)[number];

/** Why a command is refused in a status: the error code and message the API answers with. */
export interface Refusal {
  code: ErrorCode;
  message: string;
}

const OVER: Refusal = { code: 'game_over', message: 'the game is over' };
const NOT_STARTED: Refusal = { code: 'conflict', message: 'the game has not started: waiting for an opponent' };

/**
 * The one lifecycle table: for each command and game status, `true` (allowed, the
 * command's own rules decide the rest: seat, turn, offers) or the refusal. The server's
 * pipeline checks it before planning a command; the web reads it to show a command's
 * button. A new command or status without a row here fails `tsc`.
 */
export const LIFECYCLE = {
  join: { open: true, active: { code: 'game_full', message: 'this game has no open seat' }, finished: { code: 'game_full', message: 'this game has no open seat' } },
  move: { open: NOT_STARTED, active: true, finished: OVER },
  // Resigning an open game nobody joined cancels it (abandoned, unrated).
  resign: { open: true, active: true, finished: OVER },
  chat: { open: true, active: true, finished: true },
  'offer.draw': { open: NOT_STARTED, active: true, finished: OVER },
  'offer.takeback': { open: NOT_STARTED, active: true, finished: OVER },
  'offer.rematch': {
    open: { code: 'conflict', message: 'a rematch is offered once the game is over' },
    active: { code: 'conflict', message: 'a rematch is offered once the game is over' },
    finished: true,
  },
  claim: { open: { code: 'not_claimable', message: 'the game has not started' }, active: true, finished: OVER },
  // Until both sides have moved (the abort command's own rule); an open game may be aborted too.
  abort: { open: true, active: true, finished: OVER },
  deadline: { open: true, active: true, finished: OVER },
} as const satisfies { [C in GameCommand]: { [S in GameStatus]: true | Refusal } };

/** The refusal of `command` in `status`, or null when the lifecycle allows it. */
export function lifecycleRefusal(command: GameCommand, status: GameStatus): Refusal | null {
  const rule: true | Refusal = LIFECYCLE[command][status];
  return rule === true ? null : rule;
}

/** Whether the lifecycle allows `command` in `status` (the web's buttons). */
export const commandAllowed = (command: GameCommand, status: GameStatus): boolean => lifecycleRefusal(command, status) === null;
