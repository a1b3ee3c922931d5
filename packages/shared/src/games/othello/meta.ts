import { timeControl } from '../define.js';
import type { GameMeta, TimeControl } from '../types.js';

/** What people see about this game (lobby, titles, seat names), apart from its rules. Black moves first. */
export const OTHELLO_META = {
  title: 'Othello',
  blurb: 'Outflank and flip discs on an 8×8 board; most discs wins.',
  seats: ['Black', 'White'],
} as const satisfies GameMeta;

/** A game is 60 plies at most: blitz-like presets, longer than connect four's. */
export const OTHELLO_TIME_CONTROLS: readonly TimeControl[] = [timeControl(120, 2), timeControl(300, 3), timeControl(600, 5)];
