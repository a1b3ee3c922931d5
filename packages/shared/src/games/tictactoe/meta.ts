import type { GameMeta } from '../types.js';

/** What people see about this game (lobby, titles, seat names), apart from its rules. */
export const TICTACTOE_META = { title: 'Tic-tac-toe', blurb: 'Three in a row on a 3×3 board. Quick and sharp.', seats: ['X', 'O'] } as const satisfies GameMeta;
