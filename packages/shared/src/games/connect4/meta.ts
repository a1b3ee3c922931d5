import type { GameMeta } from '../types.js';

/** What people see about this game (lobby, titles, seat names), apart from its rules. */
export const CONNECT4_META = { title: 'Connect four', blurb: 'Drop discs, connect four on a 7×6 board.', seats: ['Banana', 'Coconut'] } as const satisfies GameMeta;
