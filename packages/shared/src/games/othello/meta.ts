import type { GameMeta, TimeControl } from '../types.js';

/** What people see about this game (lobby, titles, seat names), apart from its rules. Black moves first. */
export const OTHELLO_META = {
  title: 'Othello',
  blurb: 'Outflank and flip discs on an 8×8 board; most discs wins.',
  seats: ['Black', 'White'],
} as const satisfies GameMeta;

/** A game is 60 plies at most: blitz-like presets, longer than connect four's. (Labels written
 *  out: time-controls.ts reads this file, so it cannot import from there.) */
export const OTHELLO_TIME_CONTROLS: readonly TimeControl[] = [
  { initialSeconds: 120, incrementSeconds: 2, label: '2+2' },
  { initialSeconds: 300, incrementSeconds: 3, label: '5+3' },
  { initialSeconds: 600, incrementSeconds: 5, label: '10+5' },
];
